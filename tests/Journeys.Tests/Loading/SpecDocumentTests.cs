using Journeys.Tests.Support;

namespace Journeys.Tests.Loading;

/// <summary>The spec's examples the other tests load are the spec's own, and the embedded fallback has not drifted.</summary>
public sealed class SpecDocumentTests
{
    [SpecFileFact]
    public void EmbeddedCopy_SpecFilePresent_IsIdenticalToTheSpecsYamlBlocks()
    {
        var fromFile = SpecDocument.Extract(SpecDocument.V1Part(File.ReadAllText(SpecDocument.FilePath!)));

        Assert.Equal(fromFile, SpecDocument.Embedded);
    }

    [Fact]
    public void YamlBlocks_Spec_HoldOneJourneyAndOnePolicy()
    {
        var blocks = SpecDocument.YamlBlocks;

        Assert.Equal(2, blocks.Count);
        Assert.StartsWith("journey: new-customer-nurture", blocks[0], StringComparison.Ordinal);
        Assert.StartsWith("policy:", blocks[1], StringComparison.Ordinal);
    }

    [Fact]
    public void V1Part_MarkdownWithV2Heading_EndsBeforeIt()
    {
        const string markdown = "# The language (v2)\n```yaml\na: 1\n```\n# v2: cases\n```yaml\nb: 2\n```\n";

        Assert.Equal(["a: 1\n"], SpecDocument.Extract(SpecDocument.V1Part(markdown)));
        Assert.Equal(["b: 2\n"], SpecDocument.Extract(SpecDocument.V2Part(markdown)));
    }

    [Fact]
    public void Extract_MarkdownWithOtherFences_ReturnsOnlyYamlBlocksVerbatim()
    {
        const string markdown = "text\n```json\n{}\n```\n```yaml\na: 1\n  b: 2\n```\nmore\n```yaml\nc: 3\n```\n";

        Assert.Equal(["a: 1\n  b: 2\n", "c: 3\n"], SpecDocument.Extract(markdown));
    }
}
