using System.Text;

namespace Aggregator.Importer.Tests;

/// <summary>The input shapes that once stalled the importer (issue #10), each made to a given size.</summary>
public static class HostileInputs
{
    /// <summary>A cell of a number, thousands of spaces and a letter (the number pattern backtracked over the spaces).</summary>
    public static string NumberThenSpaces(int spaces) =>
        "本年新收政府信息公开申请数量\n\t1" + new string(' ', spaces) + "x\n" + Repeat("\t2\n", 12);

    /// <summary>A row label, a clause number and spaces (the boilerplate pattern tried every split of the spaces).</summary>
    public static string LabelClauseSpaces(int spaces) =>
        "本年新收政府信息公开申请数量 第1条" + new string(' ', spaces) + "第(1x 5 5\n";

    /// <summary>Elements nested <paramref name="depth"/> deep.</summary>
    public static string NestedDivs(int depth) =>
        "<html><body>" + Repeat("<div>", depth) + "本年新收" + Repeat("</div>", depth) + "</body></html>";

    /// <summary>Comment openers that never close, to <paramref name="bytes"/>.</summary>
    public static string CommentOpeners(int bytes) => "<html><body><table><tr><td>本年新收" + Repeat("<!--", bytes / 4);

    /// <summary>One table row of cells, to <paramref name="bytes"/>.</summary>
    public static string OneTableRow(int bytes) =>
        "<html><body><table><tr><td>本年新收政府信息公开申请数量</td>" + Repeat("<td>1</td>", bytes / 10) + "</tr></table></body></html>";

    /// <summary>A wide first row of cells spanning rowspan="0" (to the end of the table) over many rows.</summary>
    public static string RowspanZero(int columns, int rows) =>
        "<html><body><p>本年新收</p><table><tr>" + Repeat("<td rowspan=\"0\">1</td>", columns) + "</tr>"
        + Repeat("<tr><td>1</td></tr>", rows) + "</table></body></html>";

    public static string Repeat(string unit, int count) => new StringBuilder(unit.Length * count).Insert(0, unit, count).ToString();
}
