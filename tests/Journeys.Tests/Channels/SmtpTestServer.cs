// Runs the real SMTP server of Fixtures/smtp (node and the npm package smtp-server) for the SMTP channel tests.
using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;
using MimeKit;

namespace Journeys.Tests.Channels;

/// <summary>Starts <c>node Fixtures/smtp/server.js</c> on 127.0.0.1 and a port the system picks, installing its npm
/// packages first (<c>npm ci</c>) when they are missing, and stops it at the end.</summary>
public sealed class SmtpTestServer : IAsyncLifetime
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromMinutes(5);
    private static readonly SemaphoreSlim InstallGate = new(1, 1);

    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly List<string> _errors = [];
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"journeys-smtp-{Guid.NewGuid():N}");
    private Process? _process;

    /// <summary>The port it listens on, on 127.0.0.1.</summary>
    public int Port { get; private set; }

    private static string ScriptFolder => Path.Combine(AppContext.BaseDirectory, "Fixtures", "smtp");

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        await EnsureInstalledAsync();
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = ScriptFolder,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("server.js");
        start.ArgumentList.Add(_folder);
        _process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                _lines.Writer.TryWrite(e.Data);
            }
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_errors)
                {
                    _errors.Add(e.Data);
                }
            }
        };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var first = await ReadLineAsync();
        if (!first.StartsWith("listening ", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"the SMTP test server said '{first}'");
        }

        Port = int.Parse(first["listening ".Length..], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_process is not null)
        {
            // Closing its standard input makes the server exit; killing is the fallback.
            _process.StandardInput.Close();
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await _process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }

            _process.Dispose();
        }

        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    /// <summary>Every message accepted so far, in order of arrival.</summary>
    public IReadOnlyList<ReceivedMail> Received()
    {
        var mails = new List<ReceivedMail>();
        foreach (var json in Directory.EnumerateFiles(_folder, "*.json").OrderBy(f => int.Parse(Path.GetFileNameWithoutExtension(f), System.Globalization.CultureInfo.InvariantCulture)))
        {
            using var envelope = JsonDocument.Parse(File.ReadAllText(json));
            var root = envelope.RootElement;
            mails.Add(new ReceivedMail(
                root.GetProperty("connection").GetString()!,
                root.GetProperty("user").GetString(),
                root.GetProperty("mailFrom").GetString()!,
                root.GetProperty("rcptTo").EnumerateArray().Select(r => r.GetString()!).ToList(),
                MimeMessage.Load(Path.ChangeExtension(json, ".eml"))));
        }

        return mails;
    }

    /// <summary>The messages that carry this idempotency key.</summary>
    public IReadOnlyList<ReceivedMail> ReceivedWithKey(string idempotencyKey) =>
        Received().Where(m => m.Message.Headers["X-Journeys-Idempotency-Key"] == idempotencyKey).ToList();

    /// <summary>Closes every open connection with a 421, as a server does with connections idle too long.</summary>
    /// <returns>How many connections it closed.</returns>
    public async Task<int> DropConnectionsAsync()
    {
        await _process!.StandardInput.WriteLineAsync("drop");
        await _process.StandardInput.FlushAsync();
        var answer = await ReadLineAsync();
        Assert.StartsWith("dropped ", answer, StringComparison.Ordinal);
        return int.Parse(answer["dropped ".Length..], System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task<string> ReadLineAsync()
    {
        using var limit = new CancellationTokenSource(StartLimit);
        try
        {
            return await _lines.Reader.ReadAsync(limit.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
        {
            lock (_errors)
            {
                throw new InvalidOperationException($"the SMTP test server said nothing; its errors: {string.Join('\n', _errors)}", e);
            }
        }
    }

    private static async Task EnsureInstalledAsync()
    {
        await InstallGate.WaitAsync();
        try
        {
            if (Directory.Exists(Path.Combine(ScriptFolder, "node_modules", "smtp-server")))
            {
                return;
            }

            // The packages are pinned by package-lock.json; they go into the build output, never into the source tree.
            var install = new ProcessStartInfo("npm")
            {
                WorkingDirectory = ScriptFolder,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in new[] { "ci", "--no-audit", "--no-fund", "--loglevel=error" })
            {
                install.ArgumentList.Add(argument);
            }

            using var npm = Process.Start(install) ?? throw new InvalidOperationException("npm did not start");
            var output = npm.StandardOutput.ReadToEndAsync();
            var errors = npm.StandardError.ReadToEndAsync();
            using var limit = new CancellationTokenSource(StartLimit);
            await npm.WaitForExitAsync(limit.Token);
            if (npm.ExitCode != 0)
            {
                throw new InvalidOperationException($"npm ci in {ScriptFolder} failed ({npm.ExitCode}): {await output}{await errors}");
            }
        }
        finally
        {
            InstallGate.Release();
        }
    }
}
