namespace Journeys.Tests.Support;

/// <summary>A fresh folder under the system temp directory, deleted with everything in it on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder() => Path = Directory.CreateTempSubdirectory("journeys-tests-").FullName;

    public string Path { get; }

    /// <summary>Writes a text file (UTF-8, no BOM) at a path relative to the folder and returns its full path.</summary>
    public string Write(string relativePath, string text) => WriteBytes(relativePath, new System.Text.UTF8Encoding(false).GetBytes(text));

    public string WriteBytes(string relativePath, byte[] bytes)
    {
        var full = System.IO.Path.Combine(Path, relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        System.IO.File.WriteAllBytes(full, bytes);
        return full;
    }

    /// <summary>The full path of a file in the folder, as the loader names it in diagnostics (the folder is outside the
    /// test's current directory, so names are absolute).</summary>
    public string File(string relativePath) => System.IO.Path.Combine(Path, relativePath);

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
