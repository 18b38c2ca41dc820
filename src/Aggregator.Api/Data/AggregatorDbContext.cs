using Microsoft.EntityFrameworkCore;

namespace Aggregator.Api.Data;

public sealed class AggregatorDbContext(DbContextOptions<AggregatorDbContext> options) : DbContext(options)
{
    public DbSet<Agency> Agencies => Set<Agency>();

    public DbSet<Report> Reports => Set<Report>();

    public DbSet<Revision> Revisions => Set<Revision>();

    public DbSet<ReportCell> ReportCells => Set<ReportCell>();

    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();

    public DbSet<Division> Divisions => Set<Division>();

    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();

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
            agency.HasOne<Division>().WithMany().HasForeignKey(a => a.DivisionCode).OnDelete(DeleteBehavior.Restrict);
        });

        model.Entity<Division>(division =>
        {
            division.ToTable("divisions");
            division.HasKey(d => d.Code);
            division.Property(d => d.Code).HasMaxLength(6).IsFixedLength();
            division.Property(d => d.Name).HasMaxLength(64);
            division.Property(d => d.Level).HasMaxLength(16);
            division.Property(d => d.ParentCode).HasMaxLength(6).IsFixedLength();
            division.Property(d => d.ProvinceCode).HasMaxLength(6).IsFixedLength();
            division.Property(d => d.PrefectureCode).HasMaxLength(6).IsFixedLength();
            division.HasIndex(d => d.ParentCode);
        });

        model.Entity<Report>(report =>
        {
            report.ToTable("reports");
            report.HasKey(r => new { r.AgencyId, r.Year });
            report.HasIndex(r => r.Year);
            report.Property(r => r.CurrentRevisionNumber).HasColumnName("current_revision");
            report.HasOne(r => r.Agency).WithMany().HasForeignKey(r => r.AgencyId).OnDelete(DeleteBehavior.Restrict);
            report.HasMany(r => r.Revisions).WithOne(v => v.Report).HasForeignKey(v => new { v.AgencyId, v.Year }).OnDelete(DeleteBehavior.Restrict);
            report.HasOne(r => r.CurrentRevision).WithMany()
                .HasForeignKey(r => new { r.AgencyId, r.Year, r.CurrentRevisionNumber }).OnDelete(DeleteBehavior.Restrict);
        });

        model.Entity<Revision>(revision =>
        {
            revision.ToTable("revisions");
            revision.HasKey(r => new { r.AgencyId, r.Year, r.Number });
            revision.Property(r => r.Edition).HasMaxLength(4);
            revision.Property(r => r.ContentHash).HasMaxLength(64).IsFixedLength();
            revision.Property(r => r.Document).HasColumnType("jsonb");
            revision.Property(r => r.Findings).HasColumnType("jsonb");
        });

        model.Entity<ReportCell>(cell =>
        {
            cell.ToTable("report_cells");
            cell.HasKey(c => new { c.AgencyId, c.Year, c.MetricId, c.Applicant });
            cell.Property(c => c.Value).HasColumnType("numeric(24,6)");
            // No foreign key to reports: cells are the current revision's, written only by RevisionStore in the
            // transaction that holds the report row locked, and a key checked per cell would cost each submission
            // some 200 lookups.
        });

        model.Entity<ApiKey>(key =>
        {
            key.ToTable("api_keys");
            key.Property(k => k.Role).HasMaxLength(16);
            key.Property(k => k.DivisionPrefix).HasMaxLength(6);
            key.Property(k => k.IssuedBy).HasMaxLength(36);
            key.HasOne(k => k.Agency).WithMany().HasForeignKey(k => k.AgencyId).OnDelete(DeleteBehavior.Restrict);
            key.HasIndex(k => new { k.CreatedAt, k.Id }); // the list's order: its pages are ranges of this index
        });

        model.Entity<AuditEvent>(audit =>
        {
            audit.ToTable("audit_events");
            audit.Property(a => a.KeyId).HasMaxLength(36);
            audit.Property(a => a.Role).HasMaxLength(16);
            audit.Property(a => a.ClientAddress).HasMaxLength(64);
            audit.Property(a => a.Action).HasMaxLength(64);
            audit.Property(a => a.Method).HasMaxLength(8);
            audit.Property(a => a.Path).HasMaxLength(512);
            audit.Property(a => a.AgencyCode).HasMaxLength(64);
            audit.Property(a => a.Outcome).HasMaxLength(16);
            audit.HasIndex(a => a.At);
            audit.HasIndex(a => new { a.AgencyCode, a.At });
        });
    }
}
