namespace MetaService.Server.Tests.OriginalConfig;

/// <summary>A temporary folder for the files a test writes as openYuanrong's deployments would (<c>config.json</c>,
/// <c>log.json</c>, certificates), deleted with it.</summary>
internal sealed class FilesFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("metaservice-original-").FullName;

    /// <summary>The path of <paramref name="name"/> in the folder (written or not).</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Writes <paramref name="text"/> as <paramref name="name"/>; its path.</summary>
    public string Write(string name, string text)
    {
        var file = File(name);
        System.IO.File.WriteAllText(file, text);
        return file;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}