using System.Runtime.InteropServices;

namespace ClassifSae.Pipeline;

/// <summary>
/// Reads a lock file that another process holds. .NET opens every file with an advisory flock (shared for reading),
/// which the holder's exclusive lock refuses, so the holder's pid could never be read that way; plain open/read can.
/// </summary>
internal static partial class LockFileText
{
    public static string? TryRead(string path)
    {
        if (OperatingSystem.IsWindows()) return null;
        var fd = Open(path, 0 /* O_RDONLY */);
        if (fd < 0) return null;
        try
        {
            var buffer = new byte[4096];
            var n = ReadInto(fd, buffer);
            var text = n > 0 ? System.Text.Encoding.UTF8.GetString(buffer, 0, n).Trim() : "";
            return text.Length > 0 ? text : null;
        }
        finally
        {
            _ = Close(fd);
        }
    }

    /// <summary>Whether the file behind <paramref name="stream"/> has been deleted (Linux: /proc/self/fd link ends in " (deleted)").</summary>
    public static bool IsUnlinked(FileStream stream)
    {
        var link = $"/proc/self/fd/{stream.SafeFileHandle.DangerousGetHandle()}";
        // File.Exists would follow the link (to a deleted file); the folder says whether /proc is there at all.
        if (!OperatingSystem.IsLinux() || !Directory.Exists("/proc/self/fd")) return false;
        return new FileInfo(link).LinkTarget?.EndsWith(" (deleted)", StringComparison.Ordinal) == true;
    }

    private static unsafe int ReadInto(int fd, byte[] buffer)
    {
        fixed (byte* p = buffer) return (int)Read(fd, p, buffer.Length);
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "read")]
    private static unsafe partial nint Read(int fd, byte* buffer, nint count);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
