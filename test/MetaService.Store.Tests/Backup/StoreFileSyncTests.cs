using MetaService.Sqlite.Backup;

using Xunit;

namespace MetaService.Store.Tests.Backup;

/// <summary>Flushing a directory (after a rename into it): a directory that cannot be opened or cannot be flushed is an
/// error that names it and the system's error number, never a silent success.</summary>
public sealed class StoreFileSyncTests
{
    [Fact]
    public void ADirectoryThatDoesNotExist_CannotBeOpenedToFlush()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "the errno of Linux");
        var missing = Path.Combine(Path.GetTempPath(), "metaservice-missing-" + Guid.NewGuid().ToString("N"));

        var error = Assert.Throws<IOException>(() => StoreFile.SyncDirectory(missing));

        Assert.Equal($"cannot open the directory {missing} to flush it (errno 2)", error.Message);
    }

    [Fact]
    public void ADirectoryOfAFileSystemWithoutSync_CannotBeFlushed()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "procfs, whose directories refuse fsync with EINVAL");

        var error = Assert.Throws<IOException>(() => StoreFile.SyncDirectory("/proc"));

        Assert.Equal("cannot flush the directory /proc (errno 22)", error.Message);
    }
}