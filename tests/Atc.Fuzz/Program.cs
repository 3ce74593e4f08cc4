using Atc.Fuzz;
using Atc.Fuzz.Engine;
using Atc.Fuzz.Targets;

// The long mode (docs/fuzzing.md): `dotnet run -c Release --project tests/Atc.Fuzz -- --minutes 30 --format all`.
// With --worker this is the child process that runs cases for a supervisor.
FuzzCommandLine options;
try
{
    options = FuzzCommandLine.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine("atc-fuzz: " + e.Message);
    return 2;
}

if (options.Worker)
{
    var format = options.Formats[0];
    if (options.Replay != null) return Worker.Replay(format, options.Replay, options.Budget, options.Work, Console.Out);
    if (options.ShrinkFile != null) return Worker.Shrink(format, options.ShrinkFile, options.Signature ?? "", options.Budget, options.Work, options.ShrinkOut!);
    return Worker.RunCases(format, options.Seed, options.From, options.To, options.Budget, options.UntilUtc, options.Work, Console.Out);
}

if (options.Case is { } single)
{
    // Regenerate one case (from a report line) into --out, without running it.
    var target = FuzzTargets.Create(options.Formats[0], options.Work);
    var fuzzCase = FuzzCase.Generate(target, options.Seed, single);
    Directory.CreateDirectory(options.Out);
    var file = Path.Combine(options.Out, $"{target.Format.Name()}-seed{options.Seed}-case{single}{target.Extension}");
    File.WriteAllBytes(file, fuzzCase.Bytes);
    Console.WriteLine($"{file}: from {fuzzCase.SeedName}; {string.Join("; ", fuzzCase.Mutations)}");
    return 0;
}

var perFormat = TimeSpan.FromMinutes(options.Minutes / options.Formats.Count);
int findings = 0;
foreach (var format in options.Formats)
{
    var deadline = options.Cases is null ? DateTime.UtcNow + perFormat : (DateTime?)null;
    Console.WriteLine($"fuzzing {format.Name()}: seed {options.Seed}, " + (options.Cases is { } n ? $"{n} cases" : $"{perFormat.TotalMinutes:0.#} min")
        + $", {options.BudgetSeconds} s per case");
    var report = new Supervisor(format, options.Seed, options.Budget, options.Work).Run(options.Cases ?? long.MaxValue, deadline, Console.WriteLine);
    Console.Write(report);
    findings += report.Findings.Count;
    if (options.Shrink && report.Findings.Count > 0)
    {
        var target = FuzzTargets.Create(format, Path.Combine(options.Work, "minimize"));
        new FindingMinimizer(target, options.Budget, Path.Combine(options.Work, "minimize")).Minimize(report, options.Out, Console.WriteLine);
    }
    File.WriteAllText(Path.Combine(Directory.CreateDirectory(options.Out).FullName, format.Name() + "-report.txt"), report.ToString());
}
if (Directory.Exists(options.Work)) Directory.Delete(options.Work, recursive: true);
return findings > 0 ? 1 : 0;
