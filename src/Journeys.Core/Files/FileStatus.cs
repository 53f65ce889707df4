using System.Runtime.InteropServices;

namespace Journeys.Files;

/// <summary>Asks the operating system what a path is before it is opened: .NET's <see cref="FileInfo"/> reports a named
/// pipe or <c>/dev/zero</c> as a plain file, and opening a named pipe to read blocks until a writer comes. On Linux this
/// is <c>statx(2)</c>, whose record has the same layout on every architecture; elsewhere the kind comes from
/// <see cref="File.GetAttributes(string)"/> (regular or folder) and there is no identity.</summary>
internal static partial class FileStatus
{
    private const int AtFdCwd = -100;
    private const uint StatxType = 0x1;
    private const uint StatxIno = 0x100;
    private const int Enoent = 2;
    private const int Eacces = 13;
    private const int Enotdir = 20;
    private const int Eloop = 40;

    /// <summary>False once the C library has no <c>statx</c> (glibc before 2.28, a kernel before 4.11).</summary>
    private static volatile bool _statx = OperatingSystem.IsLinux();

    /// <summary>Examines <paramref name="path"/>, following symbolic links. Never throws for what is at the path.</summary>
    public static FileFacts Of(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (_statx)
        {
            try
            {
                return Statx(path);
            }
            catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
            {
                _statx = false;
            }
        }

        return Managed(path);
    }

    /// <summary>True when both paths name the same file: the same device and inode where the platform says them (so a hard
    /// link or a symbolic link to a file is that file), else the same full path once symbolic links are resolved.</summary>
    public static bool SameFile(string first, string second)
    {
        var (a, b) = (Of(first), Of(second));
        if (a.Kind == FileKind.Missing || b.Kind == FileKind.Missing)
        {
            return false;
        }

        if (a.HasIdentity && b.HasIdentity)
        {
            return a.Device == b.Device && a.Inode == b.Inode;
        }

        return string.Equals(Resolved(first), Resolved(second), OperatingSystem.IsWindows() || OperatingSystem.IsMacOS()
            ? StringComparison.OrdinalIgnoreCase
            : StringComparison.Ordinal);
    }

    /// <summary>The full path, with a symbolic link at its end resolved (the fallback identity).</summary>
    public static string Resolved(string path)
    {
        try
        {
            return File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName ?? Path.GetFullPath(path);
        }
        catch (IOException)
        {
            return Path.GetFullPath(path);
        }
    }

    private static unsafe FileFacts Statx(string path)
    {
        // struct statx (linux/stat.h): stx_mode u16 at 28, stx_ino u64 at 32, stx_dev_major/minor u32 at 136/140; 256 bytes.
        Span<byte> buffer = stackalloc byte[256];
        int result;
        fixed (byte* b = buffer)
        {
            result = NativeStatx(AtFdCwd, path, 0, StatxType | StatxIno, b);
        }

        if (result != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            return errno switch
            {
                Enoent or Enotdir => new FileFacts(FileKind.Missing, 0, 0, false, null),
                Eloop => new FileFacts(FileKind.Unknown, 0, 0, false, "its symbolic links form a loop"),
                Eacces => new FileFacts(FileKind.Unknown, 0, 0, false, "permission denied"),
                38 => FallBack(path), // ENOSYS: the kernel has no statx
                _ => new FileFacts(FileKind.Unknown, 0, 0, false, Marshal.GetPInvokeErrorMessage(errno)),
            };
        }

        var mode = MemoryMarshal.Read<ushort>(buffer[28..]);

        var inode = MemoryMarshal.Read<ulong>(buffer[32..]);
        var device = ((ulong)MemoryMarshal.Read<uint>(buffer[136..]) << 32) | MemoryMarshal.Read<uint>(buffer[140..]);
        var kind = (mode & 0xF000) switch
        {
            0x8000 => FileKind.Regular,
            0x4000 => FileKind.Directory,
            0x1000 => FileKind.Fifo,
            0x2000 or 0x6000 => FileKind.Device,
            0xC000 => FileKind.Socket,
            _ => FileKind.Unknown,
        };
        return new FileFacts(kind, device, inode, true, null);
    }

    private static FileFacts FallBack(string path)
    {
        _statx = false;
        return Managed(path);
    }

    private static FileFacts Managed(string path)
    {
        try
        {
            var attributes = File.GetAttributes(path);
            return new FileFacts((attributes & FileAttributes.Directory) != 0 ? FileKind.Directory : FileKind.Regular, 0, 0, false, null);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return new FileFacts(FileKind.Missing, 0, 0, false, null);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new FileFacts(FileKind.Unknown, 0, 0, false, ex.Message);
        }
    }

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int NativeStatx(int directory, string path, int flags, uint mask, byte* buffer);
}
