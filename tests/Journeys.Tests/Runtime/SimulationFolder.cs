using Journeys.Cli;

namespace Journeys.Tests.Runtime;

/// <summary>A throw-away directory with a journey folder and events files, and the <c>journeys</c> command run in-process
/// against it (exit code, stdout and stderr captured).</summary>
internal sealed class SimulationFolder : IDisposable
{
    public SimulationFolder(params (string Name, string Yaml)[] journeys)
    {
        Root = Path.Combine(Path.GetTempPath(), "journeys-sim-" + Guid.NewGuid().ToString("N"));
        Journeys = Path.Combine(Root, "journeys");
        Directory.CreateDirectory(Journeys);
        foreach (var (name, yaml) in journeys)
        {
            File.WriteAllText(Path.Combine(Journeys, name), yaml);
        }
    }

    public string Root { get; }

    public string Journeys { get; }

    /// <summary>Writes a file under the root (lines joined with \n, ending with one) and returns its path.</summary>
    public string Write(string name, params string[] lines)
    {
        var path = Path.Combine(Root, name);
        File.WriteAllText(path, string.Join("\n", lines) + "\n");
        return path;
    }

    public string PathOf(string name) => Path.Combine(Root, name);

    public (int Exit, string Stdout, string Stderr) Run(params string[] args)
    {
        using var stdout = new StringWriter { NewLine = "\n" };
        using var stderr = new StringWriter { NewLine = "\n" };
        var exit = JourneysCommand.Run(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // a leftover temp folder is harmless
        }
    }
}
