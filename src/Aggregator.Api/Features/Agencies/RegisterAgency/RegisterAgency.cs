using Aggregator.Api.Data;
using Aggregator.Api.Data.Divisions;
using Aggregator.Domain;
using Aggregator.Api.Features.Shared;
using Aggregator.Api.Infrastructure.Access;
using Aggregator.Api.Infrastructure.Audit;
using Aggregator.Api.Infrastructure.Problems;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Aggregator.Api.Features.Agencies.RegisterAgency;

/// <summary>Registers an agency that will submit reports.</summary>
/// <param name="Code">Stable key: an 18-character unified social credit code or a slug of 2–64 characters [A-Za-z0-9_-].</param>
/// <param name="Name">The agency's name, e.g. 乌苏市交通运输局.</param>
/// <param name="DivisionCode">6-digit GB/T 2260 code of the agency's administrative division, e.g. 654202.</param>
/// <param name="Sector">Sector code from GET /api/v1/sectors, e.g. transport.</param>
/// <param name="ActiveFrom">First report year the agency is expected to report for (it was founded); default: from 2019.</param>
/// <param name="ActiveTo">Last report year it is expected to report for (it was merged or abolished); default: still active.</param>
public sealed record RegisterAgency(string Code, string Name, string DivisionCode, string Sector, int? ActiveFrom = null, int? ActiveTo = null)
    : ICommand<AgencyResponse>, IAuditSubject
{
    string? IAuditSubject.AuditAgency => Code;
}

public sealed class RegisterAgencyValidator : AbstractValidator<RegisterAgency>
{
    public RegisterAgencyValidator()
    {
        RuleFor(c => c.Code).Matches("^[A-Za-z0-9_-]{2,64}$")
            .WithMessage("Must be 2–64 characters of A–Z, a–z, 0–9, '_' or '-' (a unified social credit code or a slug).");
        RuleFor(c => c.Name).NotEmpty().MaximumLength(200)
            .Must(name => name is null || !name.Any(char.IsControl)).WithMessage("Must not contain control characters.");
        RuleFor(c => c.DivisionCode).Must(code => DivisionDirectory.Find(code) is not null)
            .WithMessage(c => $"'{c.DivisionCode}' is not a GB/T 2260 division code (a province, prefecture or county, e.g. 654202); see GET /api/v1/divisions/{{code}}.");
        RuleFor(c => c.Sector).Must(code => SectorCatalogue.Find(code) is not null)
            .WithMessage(c => $"'{c.Sector}' is not a sector; see GET /api/v1/sectors (e.g. transport, public-security, government).");
        RuleFor(c => c.ActiveFrom).QueryYear();
        RuleFor(c => c.ActiveTo).QueryYear();
        RuleFor(c => c.ActiveTo).GreaterThanOrEqualTo(c => c.ActiveFrom).When(c => c.ActiveFrom is not null && c.ActiveTo is not null)
            .WithMessage("Must not be before activeFrom.");
    }
}

public sealed class RegisterAgencyHandler(AggregatorDbContext db, AgencyRegistry registry, TimeProvider clock, AccessControl access)
    : ICommandHandler<RegisterAgency, AgencyResponse>
{
    public async ValueTask<AgencyResponse> Handle(RegisterAgency command, CancellationToken cancellationToken)
    {
        await access.DemandAsync(new AgencyResource(command.Code, command.DivisionCode), Operations.Register);
        if (await db.Agencies.AnyAsync(a => a.Code == command.Code, cancellationToken))
        {
            throw new ConflictException($"An agency with code '{command.Code}' is already registered.");
        }
        var agency = new Agency
        {
            Code = command.Code,
            Name = command.Name.Trim(),
            DivisionCode = command.DivisionCode,
            Sector = command.Sector,
            RegisteredAt = clock.GetUtcNow(),
            ActiveFrom = command.ActiveFrom,
            ActiveTo = command.ActiveTo,
        };
        await registry.RegisterAsync(agency, cancellationToken);
        return AgencyResponse.From(agency);
    }
}

public static class RegisterAgencyEndpoint
{
    public static void Map(IEndpointRouteBuilder agencies) =>
        agencies.MapPost("/", async Task<Created<AgencyResponse>> (RegisterAgency command, IMediator mediator, CancellationToken cancellationToken) =>
            {
                var agency = await mediator.Send(command, cancellationToken);
                return TypedResults.Created($"/api/v1/agencies/{agency.Code}", agency);
            })
            .WithName("RegisterAgency")
            .WithSummary("Register an agency")
            .Audited("RegisterAgency", body: typeof(RegisterAgency))
            .RequireAuthorization(Policies.RegisterAgencies)
            .ProducesValidationProblem()
            .ProducesProblem(401)
            .ProducesProblem(403)
            .ProducesProblem(409)
            .ProducesProblem(415);
}
