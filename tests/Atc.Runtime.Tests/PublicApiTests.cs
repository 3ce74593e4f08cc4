using System.Reflection;
using Atc.Runtime;
using Atc.Tests.TestSupport;
using Xunit;

namespace Atc.Tests;

/// <summary>
/// The runtime's public surface against src/Atc.Runtime/PublicAPI.*.txt. The PublicApiAnalyzers fail the build on any
/// member change; these tests pin the type list from the other side (what the compiled assembly really exports) and
/// keep plumbing (operators, kernels, the .om schema, planner) from becoming public.
/// </summary>
public sealed class PublicApiTests
{
    private static readonly string[] InternalNamespaces =
        ["Atc.Runtime.Operators", "Atc.Runtime.Kernels", "Atc.Runtime.Format.Proto", "Atc.Runtime.Threading", "Atc.Runtime.Serving"];

    private static HashSet<string> DeclaredTypes()
    {
        var folder = Path.Combine(SharedData.RepoRoot(), "src", "Atc.Runtime");
        var lines = File.ReadAllLines(Path.Combine(folder, "PublicAPI.Shipped.txt"))
            .Concat(File.ReadAllLines(Path.Combine(folder, "PublicAPI.Unshipped.txt")));
        // A type's own line is its full name alone: no member part, no modifiers.
        return lines.Where(l => l.Length > 0 && !l.StartsWith('#') && !l.Contains(' ') && !l.Contains('('))
            .ToHashSet(StringComparer.Ordinal);
    }

    private static IEnumerable<string> ExportedTypes()
        => typeof(InferenceModel).Assembly.GetExportedTypes().Select(t => t.FullName!.Replace('+', '.'));

    [Fact]
    public void Every_exported_type_is_declared_in_the_public_api_files()
    {
        var declared = DeclaredTypes();
        var undeclared = ExportedTypes().Where(t => !declared.Contains(t)).ToList();
        Assert.True(undeclared.Count == 0, "exported but not in PublicAPI.*.txt: " + string.Join(", ", undeclared));
    }

    [Fact]
    public void Every_declared_type_is_exported()
    {
        var exported = ExportedTypes().ToHashSet(StringComparer.Ordinal);
        var stale = DeclaredTypes().Where(t => !exported.Contains(t)).ToList();
        Assert.True(stale.Count == 0, "in PublicAPI.*.txt but not exported: " + string.Join(", ", stale));
    }

    [Fact]
    public void Operators_kernels_schema_and_threading_stay_internal()
    {
        var leaked = ExportedTypes().Where(t => InternalNamespaces.Any(ns => t.StartsWith(ns + ".", StringComparison.Ordinal))).ToList();
        Assert.True(leaked.Count == 0, "plumbing is public: " + string.Join(", ", leaked));
    }

    [Fact]
    public void Exceptions_a_user_only_catches_and_the_signature_have_no_public_constructor()
    {
        // Users catch these; only the runtime throws them.
        foreach (var type in new[] { typeof(Atc.Runtime.Format.OmFormatException), typeof(Atc.Runtime.Execution.PlanningException), typeof(Atc.Runtime.IO.NpyFormatException) })
            Assert.Empty(type.GetConstructors(BindingFlags.Public | BindingFlags.Instance));
        Assert.Empty(typeof(ModelSignature).GetConstructors(BindingFlags.Public | BindingFlags.Instance));
    }
}
