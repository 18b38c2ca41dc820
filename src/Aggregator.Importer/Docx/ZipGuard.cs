using System.IO.Compression;

namespace Aggregator.Importer.Docx;

/// <summary>
/// Checks a Word file's zip before the Open XML SDK opens it: every entry is inflated once, counted against
/// <see cref="ImporterOptions.MaxDecodedBytes"/> for the whole file, and must not inflate past the size its header
/// declares, so a zip bomb (a small entry that inflates to gigabytes, or one that lies about its size) is refused
/// after at most the allowance, whatever part the SDK would read first.
/// </summary>
internal static class ZipGuard
{
    private const int MaxEntries = 10_000;

    public static void Check(byte[] file, ImportBudget budget)
    {
        var limit = budget.Options.MaxDecodedBytes;
        try
        {
            using var zip = new ZipArchive(new MemoryStream(file, writable: false), ZipArchiveMode.Read);
            if (zip.Entries.Count > MaxEntries)
            {
                throw Damaged($"it holds {zip.Entries.Count:N0} parts, more than a Word file has");
            }
            long total = 0;
            var buffer = new byte[81920];
            foreach (var entry in zip.Entries)
            {
                budget.Check();
                if (entry.Length > limit - total)
                {
                    throw ImportBudget.TooMuchDecoded(limit);
                }
                using var stream = entry.Open();
                long read = 0;
                int n;
                while ((n = stream.Read(buffer)) > 0)
                {
                    read += n;
                    total += n;
                    budget.Step();
                    if (total > limit)
                    {
                        throw ImportBudget.TooMuchDecoded(limit);
                    }
                    if (read > entry.Length)
                    {
                        throw Damaged($"its part {entry.FullName} inflates past the size it declares");
                    }
                }
            }
        }
        catch (Exception e) when (e is InvalidDataException or IOException or NotSupportedException or ArgumentException)
        {
            throw Damaged($"its zip structure is damaged ({e.Message})");
        }
    }

    public static UnreadableFileException Damaged(string what) =>
        new(UnreadableKind.Damaged, $"The Word file cannot be read: {what}. Save it again as .docx (or export it as PDF) and send the new file.");
}
