namespace ClassifSae.Pipeline;

/// <summary>
/// Puts a finished stage folder in place of the previous one without a moment where neither is complete: the old folder
/// is moved aside (<c>stage.old-PID</c>), the new one moved in, then the old one deleted. A run killed between the two
/// moves leaves the old folder aside; <see cref="Recover"/> (run under the stage lock) puts it back.
/// </summary>
public static class StageFolderSwap
{
    /// <summary>Fault point between the two moves (<c>CLASSIFSAE_FAULT=stage:before-move</c>), for the tests.</summary>
    public const string BeforeMove = "stage:before-move";

    public static void Replace(string folder, string completeTemporary)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(folder)!);
        var aside = folder + $".old-{Environment.ProcessId}";
        if (Directory.Exists(aside)) Directory.Delete(aside, recursive: true);
        var hadPrevious = Directory.Exists(folder);
        if (hadPrevious) Directory.Move(folder, aside);
        StageFault.At(BeforeMove);
        Directory.Move(completeTemporary, folder);
        if (hadPrevious) TryDelete(aside);
    }

    /// <summary>
    /// If the stage folder is missing but a previous one was set aside by a killed swap, moves the newest complete one back;
    /// set-aside folders are removed once the stage folder exists.
    /// </summary>
    public static void Recover(string folder)
    {
        var parent = Path.GetDirectoryName(folder)!;
        if (!Directory.Exists(parent)) return;
        var aside = Directory.GetDirectories(parent, Path.GetFileName(folder) + ".old-*")
            .Select(d => (Dir: d, Manifest: StageManifest.TryLoad(d)))
            .OrderByDescending(a => a.Manifest?.FinishedAt ?? DateTime.MinValue).ToList();
        if (!Directory.Exists(folder) && aside.FirstOrDefault(a => a.Manifest is { Status: "complete" }) is { Dir: not null } best)
            Directory.Move(best.Dir, folder);
        foreach (var (dir, _) in aside) if (Directory.Exists(dir)) TryDelete(dir);
    }

    public static bool HasSetAside(string folder)
    {
        var parent = Path.GetDirectoryName(folder)!;
        return Directory.Exists(parent) && Directory.GetDirectories(parent, Path.GetFileName(folder) + ".old-*").Length > 0;
    }

    private static void TryDelete(string dir)
    {
        try { Directory.Delete(dir, recursive: true); }
        catch (IOException) { }
    }
}
