
namespace ClassifSae.Results;

/// <summary>
/// Checks, before any stage runs, that the results store can be written: otherwise a read-only store is found only when
/// the first stage (FineTune, hours on the paper grid) records its results. DuckDB needs the file and its folder (WAL).
/// </summary>
public static class StoreWritable
{
    public static void Require(string storePath)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(storePath))!;
        try
        {
            Directory.CreateDirectory(folder);
            var probe = Path.Combine(folder, $".{Path.GetFileName(storePath)}.write-probe-{Environment.ProcessId}");
            using (new FileStream(probe, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose)) { }
            if (File.Exists(storePath))
                using (new FileStream(storePath, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete)) { }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserError($"{storePath}: the results store is not writable ({e.Message.TrimEnd('.')}); give --store a writable path");
        }
    }
}
