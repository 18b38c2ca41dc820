using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Graphics;

namespace Aggregator.Importer.Pdf;

/// <summary>A ruling line of a page: horizontal (at a y, from x to x) or vertical (at an x, from y to y), in points.</summary>
internal readonly record struct Ruling(double At, double From, double To)
{
    public bool Covers(double at, double point, double tolerance) =>
        Math.Abs(At - at) <= tolerance && From - tolerance <= point && point <= To + tolerance;
}

/// <summary>
/// The ruling lines of a page, from its paths: stroked straight segments that run along an axis, and thin filled
/// rectangles (how browsers print table borders). Lines on one axis at about the same position that touch or overlap
/// are merged into one.
/// </summary>
internal sealed class Rulings
{
    // A filled rectangle at most this thick is a line; lines this close are the same line.
    private const double Thin = 2.5;
    private const double SameLine = 1.0;
    private const double Touching = 2.0;
    private const double MinLength = 2.0;

    /// <summary>More lines than this on a page and it is not read as ruled tables (no report page has nearly as many).</summary>
    public const int MaxLines = 4096;

    public List<Ruling> Horizontal { get; } = [];

    public List<Ruling> Vertical { get; } = [];

    public bool TooMany { get; private set; }

    public static Rulings Of(IReadOnlyList<PdfPath> paths, ImportBudget budget)
    {
        var rulings = new Rulings();
        var horizontal = new List<Ruling>();
        var vertical = new List<Ruling>();
        foreach (var path in paths)
        {
            budget.Step();
            if (path.IsClipping)
            {
                continue;
            }
            foreach (var subpath in path)
            {
                budget.Step();
                if (horizontal.Count + vertical.Count > 4 * MaxLines)
                {
                    rulings.TooMany = true;
                    return rulings;
                }
                if (path.IsFilled && subpath.GetBoundingRectangle() is { } box && (box.Width <= Thin || box.Height <= Thin))
                {
                    Add(horizontal, vertical, box.Left, box.Bottom, box.Right, box.Top);
                }
                else if (path.IsStroked)
                {
                    Strokes(subpath, horizontal, vertical);
                }
            }
        }
        rulings.Horizontal.AddRange(Merge(horizontal));
        rulings.Vertical.AddRange(Merge(vertical));
        rulings.TooMany = rulings.Horizontal.Count + rulings.Vertical.Count > MaxLines;
        return rulings;
    }

    private static void Strokes(PdfSubpath subpath, List<Ruling> horizontal, List<Ruling> vertical)
    {
        PdfPoint? start = null, current = null;
        foreach (var command in subpath.Commands)
        {
            switch (command)
            {
                case PdfSubpath.Move move:
                    start = current = move.Location;
                    break;
                case PdfSubpath.Line line:
                    Segment(horizontal, vertical, line.From, line.To);
                    current = line.To;
                    break;
                case PdfSubpath.Close when start is { } s && current is { } c:
                    Segment(horizontal, vertical, c, s);
                    current = s;
                    break;
                case PdfSubpath.BezierCurve curve:
                    current = curve.EndPoint;
                    break;
            }
        }
    }

    private static void Segment(List<Ruling> horizontal, List<Ruling> vertical, PdfPoint from, PdfPoint to)
    {
        if (Math.Abs(from.Y - to.Y) <= SameLine || Math.Abs(from.X - to.X) <= SameLine)
        {
            Add(horizontal, vertical, Math.Min(from.X, to.X), Math.Min(from.Y, to.Y), Math.Max(from.X, to.X), Math.Max(from.Y, to.Y));
        }
    }

    private static void Add(List<Ruling> horizontal, List<Ruling> vertical, double left, double bottom, double right, double top)
    {
        if (!double.IsFinite(left + bottom + right + top))
        {
            return;
        }
        var width = right - left;
        var height = top - bottom;
        if (height <= Thin && width >= MinLength)
        {
            horizontal.Add(new Ruling((bottom + top) / 2, left, right));
        }
        else if (width <= Thin && height >= MinLength)
        {
            vertical.Add(new Ruling((left + right) / 2, bottom, top));
        }
    }

    private static List<Ruling> Merge(List<Ruling> lines)
    {
        lines.Sort((a, b) => a.At != b.At ? a.At.CompareTo(b.At) : a.From.CompareTo(b.From));
        var merged = new List<Ruling>();
        var groupStart = 0;
        for (var i = 1; i <= lines.Count; i++)
        {
            if (i < lines.Count && lines[i].At - lines[i - 1].At <= SameLine)
            {
                continue;
            }
            var group = lines.GetRange(groupStart, i - groupStart);
            var at = group.Average(l => l.At);
            group.Sort((a, b) => a.From.CompareTo(b.From));
            var (from, to) = (group[0].From, group[0].To);
            foreach (var line in group.Skip(1))
            {
                if (line.From <= to + Touching)
                {
                    to = Math.Max(to, line.To);
                }
                else
                {
                    merged.Add(new Ruling(at, from, to));
                    (from, to) = (line.From, line.To);
                }
            }
            merged.Add(new Ruling(at, from, to));
            groupStart = i;
        }
        return merged;
    }
}
