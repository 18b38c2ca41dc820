using System.Security.Cryptography;
using System.Text;

namespace Aggregator.Api.Infrastructure;

/// <summary>
/// The folder of one instance's private PostgreSQL: the cluster (<c>data</c>), the generated password (<c>password</c>,
/// mode 0600), the unix socket directory (<c>socket</c>, mode 0700) and the server log (<c>server.log</c>).
/// Deleting the folder resets the instance's data.
/// </summary>
public sealed record LocalPostgresFolder(string Path)
{
    public string DataDirectory => System.IO.Path.Combine(Path, "data");

    public string PasswordFile => System.IO.Path.Combine(Path, "password");

    public string SocketDirectory => System.IO.Path.Combine(Path, "socket");

    public string LogFile => System.IO.Path.Combine(Path, "server.log");

    private string PidFile => System.IO.Path.Combine(DataDirectory, "postmaster.pid");

    /// <summary>
    /// The default folder of an instance: <c>$TMPDIR/aggregator-&lt;12 hex digits&gt;</c>, the digits from a SHA-256 of the
    /// content root and the HTTP addresses, so two instances (another checkout, or the same one on another port) never share one.
    /// </summary>
    public static LocalPostgresFolder DefaultFor(string contentRoot, string httpAddresses)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{System.IO.Path.GetFullPath(contentRoot)}\n{httpAddresses}"));
        return new LocalPostgresFolder(System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"aggregator-{Convert.ToHexStringLower(hash)[..12]}"));
    }

    /// <summary>The postmaster that <c>data/postmaster.pid</c> names, when that process is alive; null when there is none.</summary>
    public Postmaster? LivePostmaster() =>
        ReadPidFile() is { } postmaster && IsAlivePostgres(postmaster.ProcessId) ? postmaster : null;

    /// <summary>
    /// Deletes the lock files of a server whose postmaster is dead (killed): <c>data/postmaster.pid</c> and the socket's
    /// <c>.s.PGSQL.&lt;port&gt;.lock</c>. PostgreSQL removes them itself when their process is gone, but not while it is a
    /// zombie, which a killed postmaster stays until it is reaped. A live server's stay.
    /// </summary>
    public void RemoveStaleLockFiles()
    {
        if (ReadPidFile() is not null && LivePostmaster() is null)
        {
            File.Delete(PidFile);
        }
        if (!Directory.Exists(SocketDirectory))
        {
            return;
        }
        foreach (var lockFile in Directory.GetFiles(SocketDirectory, ".s.PGSQL.*.lock"))
        {
            try
            {
                // Line 1: the pid of the postmaster that holds the socket.
                if (int.TryParse(File.ReadLines(lockFile).FirstOrDefault(), out var pid) && !IsAlivePostgres(pid))
                {
                    File.Delete(lockFile);
                }
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>
    /// How many processes still hold the shared memory of the server that <c>data/postmaster.pid</c> names, once its
    /// postmaster is dead (killed): its backends and helpers run on until they notice, a backend busy with a statement
    /// only when it has finished it, and while any is attached PostgreSQL refuses to start a new server on the folder
    /// ("pre-existing shared memory block is still in use"). 0 when the postmaster lives, or left no segment or none in use.
    /// </summary>
    public int ProcessesLeftByDeadServer()
    {
        if (LivePostmaster() is not null || ReadPidFileLines() is not { Length: >= 7 } lines)
        {
            return 0;
        }
        // Line 7: the SysV shared memory key and id; /proc/sysvipc/shm lists every segment with its attach count.
        var shm = lines[6].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (shm.Length < 2 || !long.TryParse(shm[1], out var id))
        {
            return 0;
        }
        try
        {
            foreach (var line in File.ReadLines("/proc/sysvipc/shm").Skip(1))
            {
                // key shmid perms size cpid lpid nattch …
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length >= 7 && long.TryParse(fields[1], out var shmid) && shmid == id)
                {
                    return int.TryParse(fields[6], out var attached) ? attached : 0;
                }
            }
        }
        catch (IOException)
        {
        }
        return 0;
    }

    private Postmaster? ReadPidFile()
    {
        // Line 1: the postmaster's pid; line 4: its port (PostgreSQL's documented layout of postmaster.pid).
        var lines = ReadPidFileLines();
        return lines is { Length: >= 4 } && int.TryParse(lines[0], out var pid) && int.TryParse(lines[3], out var port) ? new Postmaster(pid, port) : null;
    }

    private string[]? ReadPidFileLines()
    {
        try
        {
            return File.ReadAllLines(PidFile);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>
    /// Alive and a postgres: a pid reused by another program, or a zombie (PID 1 reaps a killed postmaster only after about
    /// a second), counts as dead.
    /// </summary>
    private static bool IsAlivePostgres(int processId)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{processId}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..].FirstOrDefault();
            return state is not ('Z' or 'X') && File.ReadAllText($"/proc/{processId}/comm").Trim() == "postgres";
        }
        catch (IOException)
        {
            return false;
        }
    }
}

/// <summary>A running postmaster: its process and the port it listens on.</summary>
public sealed record Postmaster(int ProcessId, int Port);
