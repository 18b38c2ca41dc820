using Aggregator.Api.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Aggregator.Api.Features;

/// <summary>The <c>division</c> filter: a 2-, 4- or 6-digit prefix of GB/T 2260 codes (province, prefecture, county).</summary>
public static class DivisionFilter
{
    public static bool IsValid(string division) => division.Length is 2 or 4 or 6 && division.All(char.IsAsciiDigit);

    public const string Message = "Must be a 2-, 4- or 6-digit prefix of a GB/T 2260 code: 65 (province), 6542 (prefecture), 654202 (county).";

    public static ValidationProblem Problem() => Infrastructure.Problem.Invalid("division", Message);
}
