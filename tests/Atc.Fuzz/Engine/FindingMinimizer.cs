using System.Globalization;
using System.Text;
using Atc.Fuzz.Oracle;
using Atc.Fuzz.Shrinking;
using Atc.Fuzz.Targets;

namespace Atc.Fuzz.Engine;

/// <summary>
/// Turns each distinct finding of a run into a small file: regenerates its first case, shrinks it and writes
/// &lt;out&gt;/&lt;format&gt;/&lt;signature slug&gt;&lt;ext&gt; with a .note (signature, seed, case, mutations).
/// Exceptions are shrunk inside one worker (fast); findings that kill the process are shrunk with one worker per
/// candidate and a small budget; hangs are kept unshrunk (each check would cost the whole time budget).
/// </summary>
public sealed class FindingMinimizer(IFuzzTarget target, TimeSpan caseBudget, string workDirectory)
{
    private const int ChildCandidateBudget = 80;

    public IReadOnlyList<string> Minimize(FuzzReport report, string outDirectory, Action<string>? progress = null)
    {
        var written = new List<string>();
        var folder = Path.Combine(outDirectory, target.Format.Name());
        Directory.CreateDirectory(folder);
        foreach (var (signature, finding) in report.Findings)
        {
            var fuzzCase = FuzzCase.Generate(target, report.Seed, finding.FirstIndex);
            var slug = Slug(signature);
            var original = Path.Combine(folder, slug + ".original" + target.Extension);
            File.WriteAllBytes(original, fuzzCase.Bytes);
            var minimized = Path.Combine(folder, slug + target.Extension);
            File.Copy(original, minimized, overwrite: true);
            if (finding.Kind == OutcomeKind.Crash)
            {
                if (signature.StartsWith("ProcessDied", StringComparison.Ordinal)) ShrinkWithChildren(original, minimized, signature);
                else ShrinkInWorker(original, minimized, signature);
            }
            File.WriteAllText(Path.Combine(folder, slug + ".note"), Note(report, signature, finding, fuzzCase, new FileInfo(minimized).Length));
            progress?.Invoke($"[{target.Format.Name()}] {signature}: {fuzzCase.Bytes.Length} -> {new FileInfo(minimized).Length} bytes ({minimized})");
            written.Add(minimized);
        }
        return written;
    }

    private void ShrinkInWorker(string original, string minimized, string signature)
    {
        using var worker = WorkerProcess.Start(["--format", target.Format.Name(), "--shrink", original,
            "--signature", Convert.ToBase64String(Encoding.UTF8.GetBytes(signature)), "--out-file", minimized,
            "--budget-seconds", caseBudget.TotalSeconds.ToString(CultureInfo.InvariantCulture), "--work", Path.Combine(workDirectory, "shrink")]);
        worker.StandardOutput.ReadToEndAsync();
        worker.StandardError.ReadToEndAsync();
        if (!worker.WaitForExit(TimeSpan.FromMinutes(3))) worker.Kill(entireProcessTree: true);
    }

    private void ShrinkWithChildren(string original, string minimized, string signature)
    {
        var candidateFile = Path.Combine(workDirectory, "candidate" + target.Extension);
        Directory.CreateDirectory(workDirectory);
        bool StillFails(byte[] candidate)
        {
            File.WriteAllBytes(candidateFile, target.Normalize(candidate));
            var outcome = ChildReplay.Run(target.Format, candidateFile, caseBudget, Path.Combine(workDirectory, "replay"));
            return outcome.IsFinding && outcome.Detail == signature;
        }
        Shrinker.Shrink(File.ReadAllBytes(original), target, StillFails,
            smaller => File.WriteAllBytes(minimized, target.Normalize(smaller)), ChildCandidateBudget);
    }

    private static string Note(FuzzReport report, string signature, (long Count, long FirstIndex, OutcomeKind Kind) finding, FuzzCase fuzzCase, long minimizedBytes)
        => $"""
            signature: {signature}
            kind: {finding.Kind}, {finding.Count} case(s) in the run
            regenerate: --format {report.Format.Name()} --seed {report.Seed} --case {finding.FirstIndex}
            seed model: {fuzzCase.SeedName}
            mutations: {string.Join("; ", fuzzCase.Mutations)}
            original bytes: {fuzzCase.Bytes.Length}, minimised bytes: {minimizedBytes}

            """;

    /// <summary>A file name from a signature: "NullReferenceException at Atc.X.Y" → "nullreferenceexception-atc-x-y".</summary>
    public static string Slug(string signature)
    {
        var s = new StringBuilder();
        foreach (char c in signature.ToLowerInvariant())
            s.Append(char.IsAsciiLetterOrDigit(c) ? c : '-');
        var slug = string.Join("-", s.ToString().Split('-', StringSplitOptions.RemoveEmptyEntries));
        return slug.Length > 90 ? slug[..90] : slug;
    }
}
