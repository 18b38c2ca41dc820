namespace Aggregator.Importer.Html;

/// <summary>A page as slimmed for parsing: all of it, and when found, its head and the element holding the report alone, on the same source lines.</summary>
internal sealed record SlimPage(string Html, string? Report);
