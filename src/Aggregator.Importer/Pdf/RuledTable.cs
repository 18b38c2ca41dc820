namespace Aggregator.Importer.Pdf;

/// <summary>
/// A table drawn with ruling lines: the grid of every column line and row line of a connected set of lines, and its
/// cells, grid positions joined where the line between them is not drawn (merged cells). A cell's text is the letters
/// whose centre falls inside it, so a blank cell stays blank in its own column.
/// </summary>
internal sealed class RuledTable
{
    private const double Tolerance = 2.0;
    private const double SameColumn = 1.5;
    private const double Extends = 3.0;

    private readonly double[] xs;   // column lines, left to right
    private readonly double[] ys;   // row lines, top to bottom
    private readonly int[,] regionOf;

    private RuledTable(double[] xs, double[] ys, int[,] regionOf, int regions, bool openTop, bool openBottom)
    {
        this.xs = xs;
        this.ys = ys;
        this.regionOf = regionOf;
        OpenTop = openTop;
        OpenBottom = openBottom;
        Glyphs = Enumerable.Range(0, regions).Select(_ => new List<Glyph>()).ToArray();
        Right = new double[regions];
        for (var r = 0; r < Rows; r++)
        {
            for (var c = 0; c < Columns; c++)
            {
                Right[regionOf[r, c]] = Math.Max(Right[regionOf[r, c]], xs[c + 1]);
            }
        }
    }

    public double Top => ys[0];

    /// <summary>The column lines, left to right.</summary>
    public IReadOnlyList<double> ColumnLines => xs;

    /// <summary>True when no line is drawn above the first row: the table goes on from the page before.</summary>
    public bool OpenTop { get; }

    /// <summary>True when no line is drawn below the last row: the table goes on on the next page.</summary>
    public bool OpenBottom { get; }

    /// <summary>The right edge of each cell.</summary>
    public double[] Right { get; }

    public int Rows => ys.Length - 1;

    public int Columns => xs.Length - 1;

    /// <summary>The letters of each cell (a merged cell is one region).</summary>
    public List<Glyph>[] Glyphs { get; }

    public int RegionAt(int row, int column) => regionOf[row, column];

    /// <summary>Puts a letter in its cell; false when its centre is outside the table.</summary>
    public bool Take(Glyph glyph)
    {
        var x = glyph.CenterX;
        var y = glyph.CenterY;
        if (x < xs[0] || x > xs[^1] || y > ys[0] || y < ys[^1])
        {
            return false;
        }
        var found = Array.BinarySearch(xs, x);
        var column = Math.Clamp(found >= 0 ? found : ~found - 1, 0, Columns - 1);
        var row = 0;
        while (row < Rows - 1 && y < ys[row + 1])
        {
            row++;
        }
        Glyphs[regionOf[row, column]].Add(glyph);
        return true;
    }

    /// <summary>The tables a page's ruling lines draw: each connected set of lines with at least two of each direction.</summary>
    public static List<RuledTable> Find(Rulings rulings, Func<int, bool> cells, ImportBudget budget)
    {
        var tables = new List<RuledTable>();
        if (rulings.TooMany || rulings.Horizontal.Count < 2 || rulings.Vertical.Count < 2)
        {
            return tables;
        }
        var h = rulings.Horizontal;
        var v = rulings.Vertical;
        var parent = Enumerable.Range(0, h.Count + v.Count).ToArray();
        int Find(int i) => Root(parent, i);
        for (var i = 0; i < h.Count; i++)
        {
            for (var j = 0; j < v.Count; j++)
            {
                budget.Step();
                if (v[j].At >= h[i].From - Tolerance && v[j].At <= h[i].To + Tolerance && h[i].At >= v[j].From - Tolerance && h[i].At <= v[j].To + Tolerance)
                {
                    parent[Find(i)] = Find(h.Count + j);
                }
            }
        }
        foreach (var component in Enumerable.Range(0, h.Count + v.Count).GroupBy(Find))
        {
            var lines = component.ToList();
            var horizontal = lines.Where(i => i < h.Count).Select(i => h[i]).ToList();
            var vertical = lines.Where(i => i >= h.Count).Select(i => v[i - h.Count]).ToList();
            if (horizontal.Count >= 2 && vertical.Count >= 2 && Build(horizontal, vertical, cells, budget) is { } table)
            {
                tables.Add(table);
            }
        }
        return tables;
    }

    private static RuledTable? Build(List<Ruling> horizontal, List<Ruling> vertical, Func<int, bool> cells, ImportBudget budget)
    {
        var xs = Distinct(vertical.Select(l => l.At)).ToArray();
        var rowLines = Distinct(horizontal.Select(l => l.At));
        // A table cut by a page break has no line above its first row (or below its last) on the page: its column
        // lines run on past the last row line, and end where the row does.
        var top = vertical.Max(l => l.To);
        var openTop = top - rowLines[^1] > Extends;
        if (openTop)
        {
            rowLines.Add(top);
        }
        var bottom = vertical.Min(l => l.From);
        var openBottom = rowLines[0] - bottom > Extends;
        if (openBottom)
        {
            rowLines.Insert(0, bottom);
        }
        var ys = rowLines.AsEnumerable().Reverse().ToArray();
        if (xs.Length < 2 || ys.Length < 2)
        {
            return null;
        }
        var rows = ys.Length - 1;
        var columns = xs.Length - 1;
        if (!cells(rows * columns))
        {
            return null;
        }
        // Grid positions joined where no line is drawn between them.
        var parent = Enumerable.Range(0, rows * columns).ToArray();
        int Find(int i) => Root(parent, i);
        for (var r = 0; r < rows; r++)
        {
            var middleY = (ys[r] + ys[r + 1]) / 2;
            for (var c = 0; c < columns; c++)
            {
                budget.Step();
                var middleX = (xs[c] + xs[c + 1]) / 2;
                if (c + 1 < columns && !vertical.Any(l => l.Covers(xs[c + 1], middleY, Tolerance)))
                {
                    parent[Find(r * columns + c)] = Find(r * columns + c + 1);
                }
                if (r + 1 < rows && !horizontal.Any(l => l.Covers(ys[r + 1], middleX, Tolerance)))
                {
                    parent[Find(r * columns + c)] = Find((r + 1) * columns + c);
                }
            }
        }
        var ids = new Dictionary<int, int>();
        var regionOf = new int[rows, columns];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                var root = Find(r * columns + c);
                if (!ids.TryGetValue(root, out var id))
                {
                    ids[root] = id = ids.Count;
                }
                regionOf[r, c] = id;
            }
        }
        return new RuledTable(xs, ys, regionOf, ids.Count, openTop, openBottom);
    }

    /// <summary>The root of a union-find set, halving the path on the way (no recursion: a grid may hold thousands of positions).</summary>
    private static int Root(int[] parent, int i)
    {
        while (parent[i] != i)
        {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    private static List<double> Distinct(IEnumerable<double> positions)
    {
        var sorted = positions.Order().ToList();
        var distinct = new List<double>();
        foreach (var at in sorted)
        {
            if (distinct.Count == 0 || at - distinct[^1] > SameColumn)
            {
                distinct.Add(at);
            }
        }
        return distinct;
    }
}
