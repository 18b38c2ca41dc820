using System.Globalization;

namespace Aggregator.Scale;

/// <summary>A process's memory as the kernel counts it (<c>/proc/PID/status</c>).</summary>
public static class ProcessStatus
{
    /// <summary>A field of /proc/PID/status in kB: VmRSS (resident now), VmHWM (peak resident).</summary>
    public static double Kb(string pid, string field) =>
        double.Parse(File.ReadLines($"/proc/{pid}/status").Single(l => l.StartsWith(field + ":", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);

    /// <summary>Resets the peak RSS the kernel keeps for a process (VmHWM), so it counts from now; false when not allowed.</summary>
    public static bool TryResetPeak(string pid)
    {
        try
        {
            File.WriteAllText($"/proc/{pid}/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
