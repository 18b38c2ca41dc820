using UglyToad.PdfPig;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Tokenization.Scanner;
using UglyToad.PdfPig.Tokens;

namespace Aggregator.Importer.Pdf;

/// <summary>
/// What the pages of a PDF will cost to lay out, worked out before PdfPig lays out any of them: a page's content
/// streams, and every form XObject it draws, counted each time it is drawn (a form drawing a form a thousand times
/// drawing a form a thousand times is a billion drawings from a few kilobytes, which no decoded-bytes count sees), and
/// the text it shows, each byte at most a letter PdfPig makes. A page that would draw more than
/// <see cref="ImporterOptions.MaxPageContentBytes"/> or show more than <see cref="ImporterOptions.MaxPageTextBytes"/>
/// is refused before it is laid out: PdfPig lays out a page in one call that cannot be stopped.
/// The page tree is walked here with PdfPig's tokens; a tree this walk cannot follow is a damaged file.
/// </summary>
internal sealed class PdfStructure(PdfDocument document, BoundedFilters filters, ImportBudget budget)
{
    private const int MaxTreeNodes = 10_000;
    private const int MaxFormDepth = 16;
    private const int MaxIndirections = 16;

    private readonly IPdfTokenScanner scanner = document.Structure.TokenScanner;
    private readonly Dictionary<IndirectReference, Drawing> formCosts = [];
    private readonly HashSet<IndirectReference> drawing = [];

    /// <summary>Throws when a page of the document would draw more content than a page may.</summary>
    public void CheckPages()
    {
        var pages = Pages();
        if (pages.Count != document.NumberOfPages)
        {
            throw new UnreadableFileException(UnreadableKind.Damaged,
                $"The PDF's page tree lists {pages.Count} page(s) where the file says it has {document.NumberOfPages}: it is damaged. Save or export it again and send the new file.");
        }
        var limit = budget.Options.MaxPageContentBytes;
        for (var i = 0; i < pages.Count; i++)
        {
            budget.Check();
            var (page, resources) = pages[i];
            var cost = Drawing.None;
            filters.StreamLimit = (i + 1, limit);
            try
            {
                foreach (var content in Contents(page))
                {
                    cost = cost.Plus(Cost(content, resources, 0), 1);
                    Check(cost, i + 1);
                }
            }
            finally
            {
                filters.StreamLimit = null;
            }
        }
    }

    private void Check(Drawing cost, int page)
    {
        if (cost.Bytes > budget.Options.MaxPageContentBytes)
        {
            throw ImportBudget.TooMuchPageContent(page, budget.Options.MaxPageContentBytes);
        }
        if (cost.Text > budget.Options.MaxPageTextBytes)
        {
            throw ImportBudget.TooMuchPageText(page, budget.Options.MaxPageTextBytes);
        }
    }

    /// <summary>What drawing a content stream costs: its bytes and the bytes of the text it shows, forms counted each time.</summary>
    private readonly record struct Drawing(long Bytes, long Text)
    {
        public static readonly Drawing None = new(0, 0);

        // More than any limit: a page that draws this is refused.
        public static readonly Drawing Endless = new(long.MaxValue / 4, long.MaxValue / 4);

        /// <summary>This plus <paramref name="times"/> times <paramref name="other"/>, saturating at <see cref="Endless"/>.</summary>
        public Drawing Plus(Drawing other, long times) => new(Saturate(Bytes, other.Bytes, times), Saturate(Text, other.Text, times));

        private static long Saturate(long sum, long each, long times) =>
            each > 0 && times > (Endless.Bytes - sum) / each ? Endless.Bytes : sum + each * times;
    }

    /// <summary>The page dictionaries in page order, each with the resources it has or inherits.</summary>
    private List<(DictionaryToken Page, DictionaryToken? Resources)> Pages()
    {
        var pages = new List<(DictionaryToken, DictionaryToken?)>();
        var visited = new HashSet<IndirectReference>();
        var root = Resolve(document.Structure.Catalog.CatalogDictionary.TryGet(NameToken.Pages, out var pagesToken) ? pagesToken : null) as DictionaryToken;
        if (root is null)
        {
            throw Damaged("it has no page tree");
        }
        var stack = new Stack<(DictionaryToken Node, DictionaryToken? Resources)>();
        stack.Push((root, null));
        var nodes = 0;
        while (stack.Count > 0)
        {
            budget.Step();
            if (++nodes > MaxTreeNodes || pages.Count > budget.Options.MaxPdfPages)
            {
                break; // the page count check refuses it
            }
            var (node, inherited) = stack.Pop();
            var resources = Resolve(node.TryGet(NameToken.Resources, out var own) ? own : null) as DictionaryToken ?? inherited;
            if (Resolve(node.TryGet(NameToken.Kids, out var kidsToken) ? kidsToken : null) is ArrayToken kids)
            {
                for (var k = kids.Data.Count - 1; k >= 0; k--)
                {
                    if (kids.Data[k] is IndirectReferenceToken reference && !visited.Add(reference.Data))
                    {
                        throw Damaged("its page tree holds a page twice");
                    }
                    if (Resolve(kids.Data[k]) is DictionaryToken kid)
                    {
                        stack.Push((kid, resources));
                    }
                }
            }
            else
            {
                pages.Add((node, resources));
            }
        }
        return pages;
    }

    private IEnumerable<StreamToken> Contents(DictionaryToken page)
    {
        var contents = Resolve(page.TryGet(NameToken.Contents, out var token) ? token : null);
        if (contents is StreamToken stream)
        {
            yield return stream;
        }
        else if (contents is ArrayToken array)
        {
            foreach (var item in array.Data)
            {
                if (Resolve(item) is StreamToken part)
                {
                    yield return part;
                }
            }
        }
    }

    /// <summary>What a content stream draws: its own bytes and text, and each form it draws, each time.</summary>
    private Drawing Cost(StreamToken stream, DictionaryToken? resources, int depth)
    {
        var data = Decoded(stream);
        var cost = new Drawing(data.Length, TextBytes(data.Span));
        var forms = Forms(resources);
        if (forms.Count == 0)
        {
            return cost;
        }
        foreach (var (name, count) in DrawnNames(data.Span))
        {
            if (forms.TryGetValue(name, out var form))
            {
                cost = cost.Plus(FormCost(form, resources, depth + 1), count);
                if (cost.Bytes > budget.Options.MaxPageContentBytes || cost.Text > budget.Options.MaxPageTextBytes)
                {
                    return Drawing.Endless;
                }
            }
        }
        return cost;
    }

    private Drawing FormCost(IndirectReference reference, DictionaryToken? inherited, int depth)
    {
        if (formCosts.TryGetValue(reference, out var known))
        {
            return known;
        }
        if (depth > MaxFormDepth || !drawing.Add(reference))
        {
            // Forms nested past any real document's depth, or drawing themselves: no end to the drawing.
            return Drawing.Endless;
        }
        var cost = Drawing.None;
        if (Resolve(new IndirectReferenceToken(reference)) is StreamToken form)
        {
            var resources = Resolve(form.StreamDictionary.TryGet(NameToken.Resources, out var own) ? own : null) as DictionaryToken ?? inherited;
            cost = Cost(form, resources, depth);
        }
        drawing.Remove(reference);
        return formCosts[reference] = cost;
    }

    /// <summary>
    /// The bytes of the strings a content stream holds: literal strings ("(...)", escapes counted as one byte) and hex
    /// strings ("&lt;...&gt;", two digits a byte). Strings that are not shown (marked-content properties) count too,
    /// which only overestimates.
    /// </summary>
    private long TextBytes(ReadOnlySpan<byte> content)
    {
        long text = 0;
        for (var i = 0; i < content.Length; i++)
        {
            budget.Step();
            switch (content[i])
            {
                case (byte)'%':
                    while (i < content.Length && content[i] is not ((byte)'\n' or (byte)'\r'))
                    {
                        i++;
                    }
                    break;
                case (byte)'(':
                    var depth = 1;
                    for (i++; i < content.Length && depth > 0; i++)
                    {
                        switch (content[i])
                        {
                            case (byte)'\\':
                                i++;
                                break;
                            case (byte)'(':
                                depth++;
                                break;
                            case (byte)')':
                                depth--;
                                continue;
                        }
                        text++;
                    }
                    i--;
                    break;
                case (byte)'<' when i + 1 < content.Length && content[i + 1] == '<':
                    i++;
                    break;
                case (byte)'<':
                    var digits = 0;
                    for (i++; i < content.Length && content[i] != '>'; i++)
                    {
                        digits += IsWhite(content[i]) ? 0 : 1;
                    }
                    text += (digits + 1) / 2;
                    break;
            }
        }
        return text;
    }

    /// <summary>The form XObjects a resource dictionary names.</summary>
    private Dictionary<string, IndirectReference> Forms(DictionaryToken? resources)
    {
        var forms = new Dictionary<string, IndirectReference>();
        if (resources is null || Resolve(resources.TryGet(NameToken.Xobject, out var token) ? token : null) is not DictionaryToken xObjects)
        {
            return forms;
        }
        foreach (var (name, value) in xObjects.Data)
        {
            if (value is IndirectReferenceToken reference && Resolve(value) is StreamToken stream
                && stream.StreamDictionary.TryGet(NameToken.Subtype, out var subtype) && subtype is NameToken { Data: "Form" })
            {
                forms[name] = reference.Data;
            }
        }
        return forms;
    }

    private Memory<byte> Decoded(StreamToken stream)
    {
        try
        {
            return stream.Decode(filters);
        }
        catch (Exception e) when (e is not (ImportLimitException or OperationCanceledException))
        {
            filters.ThrowIfPassed();
            throw Damaged($"a content stream cannot be decoded ({e.Message})");
        }
    }

    /// <summary>How often each name is drawn ("/Fm1 Do"); an operand in a string counts too, which only overestimates.</summary>
    private Dictionary<string, long> DrawnNames(ReadOnlySpan<byte> content)
    {
        var names = new Dictionary<string, long>();
        for (var at = content.IndexOf("Do"u8); at >= 0; at = Next(content, at + 2))
        {
            budget.Step();
            var after = at + 2;
            if (after < content.Length && !IsDelimiter(content[after]))
            {
                continue;
            }
            var end = at;
            while (end > 0 && IsWhite(content[end - 1]))
            {
                end--;
            }
            var start = end;
            while (start > 0 && !IsDelimiter(content[start - 1]))
            {
                start--;
            }
            if (start > 0 && content[start - 1] == '/' && end > start)
            {
                var name = System.Text.Encoding.Latin1.GetString(content[start..end]);
                names[name] = names.GetValueOrDefault(name) + 1;
            }
        }
        return names;
    }

    private static int Next(ReadOnlySpan<byte> content, int from) =>
        from >= content.Length ? -1 : content[from..].IndexOf("Do"u8) is var i and >= 0 ? from + i : -1;

    private static bool IsWhite(byte b) => b is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t' or (byte)'\f' or 0;

    private static bool IsDelimiter(byte b) => IsWhite(b) || b is (byte)'/' or (byte)'[' or (byte)']' or (byte)'(' or (byte)')' or (byte)'<' or (byte)'>' or (byte)'{' or (byte)'}' or (byte)'%';

    private IToken? Resolve(IToken? token)
    {
        for (var i = 0; i < MaxIndirections && token is IndirectReferenceToken reference; i++)
        {
            try
            {
                token = scanner.Get(reference.Data)?.Data;
            }
            catch (Exception e) when (e is not (ImportLimitException or OperationCanceledException))
            {
                filters.ThrowIfPassed();
                return null;
            }
        }
        return token is IndirectReferenceToken ? null : token;
    }

    private static UnreadableFileException Damaged(string what) =>
        new(UnreadableKind.Damaged, $"The PDF cannot be read: {what}. Save or export it again and send the new file.");
}
