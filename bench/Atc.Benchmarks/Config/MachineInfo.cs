using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace Atc.Benchmarks.Config;

/// <summary>The machine line of a result: CPU (name, family/model from /proc/cpuinfo where there is one), logical
/// processors, the vector ISA .NET sees, OS, .NET version and the date.</summary>
public static class MachineInfo
{
    public static string Describe()
    {
        string cpu = RuntimeInformation.ProcessArchitecture.ToString();
        try
        {
            if (File.Exists("/proc/cpuinfo"))
            {
                var lines = File.ReadLines("/proc/cpuinfo").TakeWhile(l => l.Length > 0).ToList();
                string Field(string name) => lines.FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal) && l[name.Length..].TrimStart().StartsWith(':'))
                    ?.Split(':', 2)[1].Trim() ?? "?";
                cpu = $"{Field("model name")} (family {Field("cpu family")}, model {Field("model")})";
            }
        }
        catch (IOException)
        {
            // keep the architecture only
        }
        string isa = Avx512F.IsSupported ? "AVX-512F, AVX2, FMA" : Avx2.IsSupported && Fma.IsSupported ? "AVX2, FMA" : "no AVX2/FMA";
        return $"{cpu}, {Environment.ProcessorCount} logical processors, {isa}; {RuntimeInformation.OSDescription}; "
            + $".NET {Environment.Version}; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC";
    }
}
