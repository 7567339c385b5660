using System.Text;

namespace Medley.Tokenization.Tests;

/// <summary>A throw-away model folder that test files are written into.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "medley-tok-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public void Write(string name, string content) =>
        File.WriteAllText(System.IO.Path.Combine(Path, name), content, new UTF8Encoding(false));

    public void Write(string name, byte[] content) => File.WriteAllBytes(System.IO.Path.Combine(Path, name), content);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
