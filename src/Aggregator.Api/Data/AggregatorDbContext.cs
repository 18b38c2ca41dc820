using Microsoft.EntityFrameworkCore;

namespace Aggregator.Api.Data;

public sealed class AggregatorDbContext(DbContextOptions<AggregatorDbContext> options) : DbContext(options)
{
    public DbSet<Agency> Agencies => Set<Agency>();

    public DbSet<Report> Reports => Set<Report>();

    public DbSet<Revision> Revisions => Set<Revision>();

    public DbSet<ReportCell> ReportCells => Set<ReportCell>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<Agency>(agency =>
        {
            agency.ToTable("agencies");
            agency.Property(a => a.Code).HasMaxLength(64);
            agency.HasIndex(a => a.Code).IsUnique();
            agency.Property(a => a.Name).HasMaxLength(200);
            agency.Property(a => a.DivisionCode).HasMaxLength(6).IsFixedLength();
            agency.HasIndex(a => a.DivisionCode).HasOperators("bpchar_pattern_ops");
            agency.Property(a => a.Sector).HasMaxLength(32);
            agency.HasIndex(a => a.Sector);
        });

        model.Entity<Report>(report =>
        {
            report.ToTable("reports");
            report.HasIndex(r => new { r.AgencyId, r.Year }).IsUnique();
            report.HasIndex(r => r.Year);
            report.HasOne(r => r.Agency).WithMany().HasForeignKey(r => r.AgencyId).OnDelete(DeleteBehavior.Restrict);
            report.HasMany(r => r.Revisions).WithOne(r => r.Report).HasForeignKey(r => r.ReportId).OnDelete(DeleteBehavior.Restrict);
            report.HasOne(r => r.CurrentRevision).WithMany().HasForeignKey(r => r.CurrentRevisionId).OnDelete(DeleteBehavior.Restrict);
        });

        model.Entity<Revision>(revision =>
        {
            revision.ToTable("revisions");
            revision.HasIndex(r => new { r.ReportId, r.Number }).IsUnique();
            revision.Property(r => r.Edition).HasMaxLength(4);
            revision.Property(r => r.ContentHash).HasMaxLength(64).IsFixedLength();
            revision.Property(r => r.Document).HasColumnType("jsonb");
            revision.Property(r => r.Findings).HasColumnType("jsonb");
        });

        model.Entity<ReportCell>(cell =>
        {
            cell.ToTable("report_cells");
            cell.HasKey(c => new { c.ReportId, c.MetricId, c.Applicant });
            cell.Property(c => c.Value).HasColumnType("numeric(24,6)");
            cell.HasIndex(c => new { c.MetricId, c.Applicant }).IncludeProperties(c => new { c.ReportId, c.Value });
            cell.HasOne<Report>().WithMany().HasForeignKey(c => c.ReportId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
