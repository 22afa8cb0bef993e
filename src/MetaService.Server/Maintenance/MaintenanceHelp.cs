namespace MetaService.Server.Maintenance;

/// <summary>The <c>--help</c> text of each maintenance command (docs/backup.md has the longer story).</summary>
internal static class MaintenanceHelp
{
    public const string Backup = """
        MetaService.Server backup --data-dir DIR --to FILE [--force]

        Copies the embedded store in DIR (meta.db) to FILE while the server keeps serving: SQLite's backup API,
        one consistent revision, the change history included. FILE is written beside its final name, fsynced and
        renamed, so it is whole or absent; it is itself a store file (restore it, or use it as DIR/meta.db).

          --data-dir DIR   the server's data directory (its --data-dir)
          --to FILE        the backup file; refused when it exists, unless --force
          --force          replace FILE
        """;

    public const string Restore = """
        MetaService.Server restore --from FILE --data-dir DIR [--force]

        Puts a backup file back as the embedded store of DIR. Refused while a server has DIR's store open (stop
        it first), and refused when DIR already holds a store, unless --force. A replaced store that had got past
        the backup's revision leaves the restored one a revision past its own, with its history compacted, so the
        revision never goes back.

          --from FILE      a file made by the backup command
          --data-dir DIR   the data directory to restore into (created when missing)
          --force          replace the store DIR holds
        """;

    public const string Copy = """
        MetaService.Server copy --from STORE --to STORE [--prefix P] [--force] [options]

        Copies every key under P (default: every key, platform keys included) with its value byte for byte,
        from one store as of one revision to another. The target numbers the keys with its own revisions.
        STORE is sqlite:DIR (the embedded store in DIR; as a source it may be served meanwhile, as a target not)
        or etcd:URL[,URL...] (an etcd cluster). Keys are the store's keys: an etcd key prefix (openYuanrong's
        azPrefix) is stripped when read and added when written, so a copy moves between prefixes.
        Refused when the target holds a key under P, unless --force (then the source's keys overwrite the
        target's, and the target's other keys stay).

          --from STORE, --to STORE       source and target
          --prefix P                     copy only keys that start with P
          --from-key-prefix AZ           the source etcd's key prefix (azPrefix)
          --to-key-prefix AZ             the target etcd's key prefix
          --etcd-user U                  etcd user; the password is read from METASERVICE_ETCD_PASSWORD
          --etcd-ca-file F, --etcd-cert-file F, --etcd-key-file F   TLS (PEM) for https:// members
          --force                        write into a target that holds keys under P
        """;
}