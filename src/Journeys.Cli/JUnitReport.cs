using System.Xml.Linq;

namespace Journeys.Cli;

/// <summary>The results of <c>journeys test</c> as JUnit XML, the format CI systems (GitHub Actions reporters, GitLab,
/// Jenkins, Azure Pipelines) read: one test suite per folder, one test case per scenario, its diff as the failure.</summary>
internal static class JUnitReport
{
    public static void Write(string path, string folder, IReadOnlyList<ScenarioResult> results, IReadOnlyList<string> errors)
    {
        var failures = results.Count(r => !r.Passed);
        var suite = new XElement("testsuite",
            new XAttribute("name", folder),
            new XAttribute("tests", results.Count + (errors.Count > 0 ? 1 : 0)),
            new XAttribute("failures", failures),
            new XAttribute("errors", errors.Count > 0 ? 1 : 0),
            results.Select(r => new XElement("testcase",
                new XAttribute("classname", folder),
                new XAttribute("name", r.Scenario.Name),
                new XAttribute("file", r.Scenario.File),
                r.Passed ? null : new XElement("failure",
                    new XAttribute("message", $"{r.Diff.Count(l => l[0] is '-' or '!')} decision(s) differ"),
                    string.Join("\n", r.Diff)))),
            errors.Count == 0 ? null : new XElement("testcase",
                new XAttribute("classname", folder),
                new XAttribute("name", "scenario files"),
                new XElement("error", new XAttribute("message", "scenario files with errors were not run"), string.Join("\n", errors))));
        var document = new XDocument(new XDeclaration("1.0", "utf-8", null), new XElement("testsuites",
            new XAttribute("name", "journeys test"),
            new XAttribute("tests", suite.Attribute("tests")!.Value),
            new XAttribute("failures", failures),
            new XAttribute("errors", errors.Count > 0 ? 1 : 0),
            suite));
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        using var writer = System.Xml.XmlWriter.Create(path, new System.Xml.XmlWriterSettings { Encoding = new System.Text.UTF8Encoding(false), Indent = true });
        document.Save(writer);
    }
}
