using Journeys.Diagnostics;
using Journeys.Language.Loading;
using Journeys.Tests.Support;

namespace Journeys.Tests.Loading;

/// <summary>Every file the loader reads goes through one gate: a regular file, its size counted while it is read. A link to
/// <c>/dev/zero</c>, a named pipe, a loop of links, an unreadable file — wherever in the folder — is one diagnostic,
/// fast; the loader never hangs, never runs out of memory and never throws.</summary>
public sealed class SpecialFilesTests : IDisposable
{
    private const string Journey = "journey: j\nversion: 1\nentry: { on: a }\nstart: s\nsteps:\n  s:\n    send: { channel: push, template: t }\n";

    private readonly TempFolder _folder = new();

    public SpecialFilesTests()
    {
        _folder.Write("j.yaml", Journey);
        _folder.Write("templates/t.liquid", "Hello {{ customer.name }}");
    }

    public void Dispose() => _folder.Dispose();

    private JourneyCatalog Load() => Budget.Within(() => JourneyLoader.LoadFolder(_folder.Path));

    public static TheoryData<string> Places => ["x.yaml", "policy.yaml", "templates/u.liquid", "templates/deep/u.liquid", "rules/r.json"];

    [Theory]
    [MemberData(nameof(Places))]
    public void LinkToDevZero_IsRefusedAsNotARegularFile(string place)
    {
        var path = SpecialFiles.Link(_folder.File(place), "/dev/zero");

        var d = Diagnose.Has(Load(), Diagnose.Error, DiagnosticCodes.Io, $"{path}:0:0");

        Assert.Equal("cannot read file: it is a device, not a regular file", d.Message);
    }

    [Theory]
    [MemberData(nameof(Places))]
    public void NamedPipe_IsRefusedWithoutWaitingForAWriter(string place)
    {
        var path = SpecialFiles.Fifo(_folder.File(place));

        var d = Diagnose.Has(Load(), Diagnose.Error, DiagnosticCodes.Io, $"{path}:0:0");

        Assert.Equal("cannot read file: it is a named pipe (FIFO), not a regular file", d.Message);
    }

    [Theory]
    [MemberData(nameof(Places))]
    public void LoopOfSymbolicLinks_IsOneDiagnostic(string place)
    {
        var path = SpecialFiles.Loop(_folder.File(place));

        var d = Diagnose.Has(Load(), Diagnose.Error, DiagnosticCodes.Io, $"{path}:0:0");

        Assert.Equal("cannot read file: its symbolic links form a loop", d.Message);
    }

    [Theory]
    [InlineData("templates/t.liquid")]
    [InlineData("rules/r.json")]
    [InlineData("j.yaml")]
    public void UnreadableFile_IsADiagnosticNotAnException(string place)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_folder.File(place))!);
        File.Delete(_folder.File(place));
        if (SpecialFiles.Unreadable(_folder.File(place)) is not { } path)
        {
            return; // every file is readable here (a privileged root): nothing to refuse
        }

        var d = Diagnose.Has(Load(), Diagnose.Error, DiagnosticCodes.Io, $"{path}:0:0");

        Assert.StartsWith("cannot read file: ", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LinkBackUpTheTemplatesTree_IsWalkedOnceAndTheTemplatesLoad()
    {
        SpecialFiles.Link(_folder.File("templates/loop"), _folder.File("templates"));
        SpecialFiles.Link(_folder.File("templates/sub/up"), _folder.File("templates/sub"));

        var catalog = Load();

        Diagnose.Clean(catalog);
        Assert.Equal(1, catalog.Templates.Count);
    }

    [Fact]
    public void TemplateOverTheLimit_IsRefusedBySize()
    {
        var path = _folder.Write("templates/t.liquid", new string('x', 256 * 1024 + 1));

        var d = Diagnose.Has(Load(), Diagnose.Error, DiagnosticCodes.TooLarge, $"{path}:1:1");

        Assert.Equal("file is too large to be a template (262,145 bytes; the limit is 262,144)", d.Message);
    }

    [Fact]
    public void TemplateThatIsNotUtf8_IsASyntaxErrorAtTheBadByte()
    {
        var path = _folder.WriteBytes("templates/t.liquid", [.. "Hi\ncaf"u8, 0xE9, .. "\n"u8]);

        var d = Diagnose.Has(Load(), Diagnose.Error, DiagnosticCodes.Syntax, $"{path}:2:4");

        Assert.Equal("the file is not valid UTF-8 text", d.Message);
    }
}
