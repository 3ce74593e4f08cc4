using System.Reflection;
using System.Runtime.Intrinsics.X86;

namespace Atc.Compiler.Tests.Precision;

/// <summary>
/// The bf16 modes widen bfloat16 weights to float32 because .NET exposes no AVX512_BF16 dot product (docs/atc-options.md,
/// "What the bf16 modes compute here"). This test fails when an SDK adds one, so the statement cannot go stale.
/// </summary>
public class Bf16IntrinsicsTests
{
    [Fact]
    public void The_SDK_has_no_bfloat16_intrinsics()
    {
        var x86 = typeof(Avx512F).Assembly.GetExportedTypes().Where(t => t.Namespace == "System.Runtime.Intrinsics.X86").ToList();
        Assert.DoesNotContain(x86, t => t.Name.Contains("Bf16", StringComparison.OrdinalIgnoreCase));
        var bf16Methods = x86.SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static))
            .Where(m => m.Name.Contains("BF16", StringComparison.OrdinalIgnoreCase) || m.Name.Contains("BFloat16", StringComparison.OrdinalIgnoreCase))
            .Select(m => m.DeclaringType!.Name + "." + m.Name);
        Assert.Empty(bf16Methods);
        Assert.Null(typeof(object).Assembly.GetType("System.Numerics.BFloat16"));
    }
}
