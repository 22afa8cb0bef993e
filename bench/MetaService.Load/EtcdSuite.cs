namespace MetaService.Load;

/// <summary>
/// P4: updates through HTTP on a single-member etcd at 16 clients beside raw dotnet-etcd CAS. The etcd store
/// is built on another branch: until the server knows <c>--store etcd</c> (a MetaService.Etcd assembly beside
/// it), the row says so instead of a figure.
/// </summary>
internal static class EtcdSuite
{
    public static Table Run()
    {
        var server = typeof(MetaService.Server.Functions.FunctionsApi).Assembly.Location;
        var present = File.Exists(Path.Combine(Path.GetDirectoryName(server)!, "MetaService.Etcd.dll"));
        var table = new Table("P4 updates on a single-member etcd, 16 clients");
        var note = present ? "etcd store present: wire EtcdSuite to start etcd and run the update generator" : "n/a (etcd store not present)";
        table.Add("P4", "updates/s through HTTP, --store etcd", note, note, "—", "≥ 0.80× raw dotnet-etcd CAS", "—");
        return table;
    }
}