using System.Text;
using Journeys.Diagnostics;
using Journeys.Language.Loading;
using Journeys.Tests.Support;

namespace Journeys.Tests.Loading;

/// <summary>Files that are malformed, malicious or not YAML at all: each is refused fast (within <see cref="Budget.Limit"/>)
/// with an error at its place, and never throws.</summary>
public sealed class HostileYamlTests : IClassFixture<HostileYamlTests.WarmLoader>
{
    /// <summary>Loads once before the tests, so the time budget measures the input, not JIT compilation.</summary>
    public sealed class WarmLoader
    {
        public WarmLoader() => JourneyLoader.LoadYaml(("warm.yaml", SpecDocument.Journey), ("policy.yaml", SpecDocument.Policy));
    }

    private static JourneyCatalog LoadFast(string yaml) => Budget.Within(() => Diagnose.Load(yaml));

    private static JourneyCatalog LoadFolderFast(string folder) => Budget.Within(() => JourneyLoader.LoadFolder(folder));

    [Fact]
    public void TabIndentation_IsASyntaxErrorAtTheTab()
    {
        var catalog = LoadFast("journey: x\nentry:\n\ton: signed_up\nstart: a\nsteps:\n  a:\n");

        var d = Diagnose.Refused(catalog, DiagnosticCodes.Syntax, "j.yaml:3:1");
        Assert.EndsWith("(YAML does not allow tabs for indentation; use spaces)", d.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("journey: a\nentry: { on: go\nstart: s\nsteps:\n  s:\n", "j.yaml:2:8", '{')]
    [InlineData("journey: a\nentry: { on: [ go\nstart: s\nsteps:\n  s:\n", "j.yaml:2:14", '[')]
    [InlineData("journey: a\nentry: { on: go }\nstart: s\nsteps:\n  s:\n    send: { channel: push, template: t\n    then:\n      - after: 1d\n        goto: end\n", "j.yaml:6:11", '{')]
    public void FlowCollection_LeftOpen_IsASyntaxErrorAtItsBracket(string yaml, string at, char bracket)
    {
        // YamlDotNet's scanner throws InvalidOperationException here, not a YamlException: it used to escape as a crash.
        var catalog = LoadFast(yaml);

        var d = Diagnose.Refused(catalog, DiagnosticCodes.Syntax, at);
        Assert.Equal($"YAML syntax error: the '{bracket}' opened here is not closed (or what follows it is malformed)", d.Message);
    }

    [Fact]
    public void TabIndentation_DeepInAStep_IsASyntaxErrorAtTheTab()
    {
        var catalog = LoadFast("journey: x\nentry: { on: signed_up }\nstart: a\nsteps:\n  a:\n    then:\n  \t  - goto: end\n");

        Diagnose.Refused(catalog, DiagnosticCodes.Syntax, "j.yaml:7:3");
    }

    [Fact]
    public void DuplicateKey_IsASyntaxErrorAtTheSecondKey()
    {
        var catalog = LoadFast("""
            journey: x
            entry: { on: signed_up }
            start: a
            start: b
            steps:
              a:
            """);

        var d = Diagnose.Single(catalog, Diagnose.Error, DiagnosticCodes.Syntax, "j.yaml:4:1");
        Assert.Equal("duplicate key 'start' (first at line 3)", d.Message);
    }

    [Fact]
    public void DuplicateKey_ThenATabFurtherDown_ReportsBoth()
    {
        var catalog = LoadFast("journey: x\nversion: 1\nversion: 2\nentry: { on: signed_up }\nstart: a\nsteps:\n  a:\n    then:\n\t  - goto: end\n");

        Assert.Equal("duplicate key 'version' (first at line 2)", Diagnose.Has(catalog, Diagnose.Error, DiagnosticCodes.Syntax, "j.yaml:3:1").Message);
        Assert.EndsWith("(YAML does not allow tabs for indentation; use spaces)",
            Diagnose.Refused(catalog, DiagnosticCodes.Syntax, "j.yaml:9:1").Message, StringComparison.Ordinal);
        Assert.Equal(2, catalog.Diagnostics.Count);
    }

    [Fact]
    public void DuplicateKey_ThenAnErrorInTheJourney_ReportsBothAndKeepsTheFirstValue()
    {
        var catalog = LoadFast("""
            journey: x
            start: a
            start: b
            entry: { on: signed_up }
            steps:
              a:
                then:
                  - goto: nowhere
            """);

        Diagnose.Has(catalog, Diagnose.Error, DiagnosticCodes.Syntax, "j.yaml:3:1");
        Assert.Contains(catalog.Diagnostics, d => d.Location.Line == 8 && d.Message.Contains("nowhere", StringComparison.Ordinal));
        Assert.DoesNotContain(catalog.Diagnostics, d => d.Message.Contains("'b'", StringComparison.Ordinal)); // start: a stands
        Assert.Empty(catalog.Journeys);
    }

    [Fact]
    public void DuplicateStepName_IsASyntaxErrorAtTheSecondStep()
    {
        var catalog = LoadFast("""
            journey: x
            entry: { on: signed_up }
            start: a
            steps:
              a:
              a:
            """);

        Diagnose.Single(catalog, Diagnose.Error, DiagnosticCodes.Syntax, "j.yaml:6:3");
    }

    [Fact]
    public void BillionLaughs_AliasBomb_IsRefusedAtTheAliasThatExceedsTheLimit()
    {
        var lines = new List<string> { "lol0: &lol0 lol" };
        for (var level = 1; level <= 9; level++)
        {
            lines.Add($"lol{level}: &lol{level} [{string.Join(",", Enumerable.Repeat($"*lol{level - 1}", 10))}]");
        }

        // lol4 expands to 11,111 nodes; lol5's tenth alias of it takes lol5 past 100,000: line 6, column 14 + 9 * 6.
        var catalog = LoadFast(string.Join("\n", lines) + "\n");

        var d = Diagnose.Single(catalog, Diagnose.Error, DiagnosticCodes.TooLarge, "j.yaml:6:68");
        Assert.Equal("the document expands to more than 100,000 nodes (too many aliases?)", d.Message);
    }

    [Fact]
    public void DeepNesting_TenThousandLevels_IsRefusedAtTheFirstLevelTooDeep()
    {
        var catalog = LoadFast(new string('[', 10_000) + new string(']', 10_000) + "\n");

        var d = Diagnose.Single(catalog, Diagnose.Error, DiagnosticCodes.TooLarge, "j.yaml:1:65");
        Assert.Equal("nesting is deeper than 64 levels", d.Message);
    }

    [Fact]
    public void DeepNesting_OfMappings_IsRefusedAtTheFirstLevelTooDeep()
    {
        var catalog = LoadFast("journey: " + string.Concat(Enumerable.Repeat("{a: ", 10_000)) + "1" + new string('}', 10_000) + "\n");

        Diagnose.Single(catalog, Diagnose.Error, DiagnosticCodes.TooLarge, "j.yaml:1:" + (10 + (63 * 4)));
    }

    [Fact]
    public void FiftyMegabyteFile_IsRefusedBySizeWithoutBeingOpened()
    {
        using var folder = new TempFolder();
        var path = folder.File("huge.yaml");
        using (var create = new FileStream(path, FileMode.CreateNew))
        {
            create.SetLength(50L * 1024 * 1024);
        }

        // Held open exclusively: had the loader tried to read it, it would report an I/O error instead.
        using var held = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        var catalog = LoadFolderFast(folder.Path);

        var d = Diagnose.Single(catalog, Diagnose.Error, DiagnosticCodes.TooLarge, $"{path}:1:1");
        Assert.Equal("file is too large to be a journey definition (52,428,800 bytes; the limit is 1,048,576)", d.Message);
    }

    [Fact]
    public void LockedFile_OfNormalSize_IsAnIoErrorNotACrash()
    {
        using var folder = new TempFolder();
        var path = folder.Write("locked.yaml", "journey: x\n");

        using var held = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        var catalog = LoadFolderFast(folder.Path);

        var d = Diagnose.Single(catalog, Diagnose.Error, DiagnosticCodes.Io, $"{path}:0:0");
        Assert.StartsWith("cannot read file: ", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidUtf8_InADescription_IsASyntaxErrorAtTheBadByte()
    {
        using var folder = new TempFolder();
        var path = folder.WriteBytes("bad.yaml", [.. "journey: x\ndescription: caf"u8, 0xC3, 0x28, .. " ok\nentry: { on: a }\nstart: s\nsteps:\n  s:\n"u8]);

        var catalog = LoadFolderFast(folder.Path);

        var d = Diagnose.Refused(catalog, DiagnosticCodes.Syntax, $"{path}:2:17");
        Assert.Equal("the file is not valid UTF-8 text", d.Message);
    }

    [Fact]
    public void InvalidUtf8_AfterAUtf8ByteOrderMark_IsStillRefused()
    {
        using var folder = new TempFolder();
        var path = folder.WriteBytes("bom.yaml", [0xEF, 0xBB, 0xBF, .. "journey: x\ndescription: "u8, 0xFF, .. "\nentry: { on: a }\nstart: s\nsteps:\n  s:\n"u8]);

        var catalog = LoadFolderFast(folder.Path);

        Diagnose.Refused(catalog, DiagnosticCodes.Syntax, $"{path}:2:14");
    }

    [Fact]
    public void ValidUtf8_WithByteOrderMark_Loads()
    {
        using var folder = new TempFolder();
        folder.WriteBytes("bom.yaml", [0xEF, 0xBB, 0xBF, .. "journey: café\ndescription: déjà vu\nentry: { on: a }\nstart: s\nsteps:\n  s:\n"u8]);

        var catalog = LoadFolderFast(folder.Path);

        // 'café' is no valid id, and says so at column 10: the BOM takes no column.
        Diagnose.Single(catalog, Diagnose.Error, DiagnosticCodes.InvalidValue, $"{folder.File("bom.yaml")}:1:10");
    }

    [Fact]
    public void BinaryGarbage_IsRefusedAtItsFirstByte()
    {
        var random = new Random(20260105);
        var garbage = new byte[64 * 1024];
        random.NextBytes(garbage);
        byte[] png = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
        using var folder = new TempFolder();
        var path = folder.WriteBytes("image.yaml", [.. png, .. garbage]);

        var catalog = LoadFolderFast(folder.Path);

        var d = Diagnose.Single(catalog, Diagnose.Error, DiagnosticCodes.Syntax, $"{path}:1:1");
        Assert.Equal("the file is not valid UTF-8 text", d.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\n")]
    [InlineData("# only a comment\n")]
    public void EmptyFile_IsAnErrorAtItsStart(string text)
    {
        var catalog = LoadFast(text);

        var d = Diagnose.Single(catalog, Diagnose.Error, DiagnosticCodes.MissingKey, "j.yaml:1:1");
        Assert.Equal("the file is empty: a journey file needs the top-level key 'journey:' (policy.yaml: 'policy:')", d.Message);
    }

    [Fact]
    public void EmptyFile_OnDisk_MakesTheFolderInvalid()
    {
        using var folder = new TempFolder();
        var path = folder.Write("empty.yaml", "");

        var catalog = LoadFolderFast(folder.Path);

        Diagnose.Single(catalog, Diagnose.Error, DiagnosticCodes.MissingKey, $"{path}:1:1");
    }

    [Fact]
    public void List_InsteadOfMapping_IsAnErrorAtItsStart()
    {
        var catalog = LoadFast("""
            - journey: x
            - start: a
            """);

        var d = Diagnose.Single(catalog, Diagnose.Error, DiagnosticCodes.InvalidValue, "j.yaml:1:1");
        Assert.Equal("expected a mapping with the top-level key 'journey:' (or 'policy:' in policy.yaml), not a list", d.Message);
    }

    [Fact]
    public void Scalar_InsteadOfMapping_IsAnErrorAtItsStart()
    {
        var catalog = LoadFast("just some words\n");

        Diagnose.Single(catalog, Diagnose.Error, DiagnosticCodes.InvalidValue, "j.yaml:1:1");
    }

    [Fact]
    public void TwoDocuments_InOneFile_IsASyntaxErrorAtTheSecondStart()
    {
        var catalog = LoadFast("""
            journey: a
            entry: { on: signed_up }
            start: s
            steps:
              s:
            ---
            journey: b
            """);

        var d = Diagnose.Refused(catalog, DiagnosticCodes.Syntax, "j.yaml:6:1");
        Assert.Equal("a file holds one YAML document; found a second one ('---')", d.Message);
    }

    [Fact]
    public void OneExplicitDocument_Loads()
    {
        var catalog = LoadFast("""
            ---
            journey: a
            entry: { on: signed_up }
            start: s
            steps:
              s:
            ...
            """);

        Diagnose.Clean(catalog);
    }

    [Fact]
    public void Alias_ToNoAnchor_IsASyntaxErrorAtTheAlias()
    {
        var catalog = LoadFast("journey: x\nentry: *nope\n");

        var d = Diagnose.Single(catalog, Diagnose.Error, DiagnosticCodes.Syntax, "j.yaml:2:8");
        Assert.Equal("alias '*nope' refers to no anchor defined before it", d.Message);
    }

    [Fact]
    public void Key_ThatIsAList_IsASyntaxErrorAtTheKey()
    {
        var catalog = LoadFast("{[a]: 1}\n");

        Diagnose.Single(catalog, Diagnose.Error, DiagnosticCodes.Syntax, "j.yaml:1:2");
    }

    [Fact]
    public void UnterminatedQuote_IsASyntaxError()
    {
        var catalog = LoadFast("journey: \"x\nentry: { on: a }\n");

        Diagnose.Refused(catalog, DiagnosticCodes.Syntax, "j.yaml:1:10");
    }
}
