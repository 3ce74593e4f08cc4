using System.Globalization;

namespace Atc.Fuzz;

/// <summary>The fuzzer's command line ("--name value" pairs); see docs/fuzzing.md.</summary>
public sealed class FuzzCommandLine
{
    public bool Worker { get; private set; }
    public IReadOnlyList<FuzzFormat> Formats { get; private set; } = FuzzFormats.All;
    public int Seed { get; private set; } = 1;
    public double Minutes { get; private set; } = 5;
    public long? Cases { get; private set; }
    public double BudgetSeconds { get; private set; } = 10;
    public string Out { get; private set; } = Path.Combine("artifacts", "fuzz");
    public bool Shrink { get; private set; } = true;
    public long From { get; private set; }
    public long To { get; private set; } = long.MaxValue;
    public DateTime? UntilUtc { get; private set; }
    public string Work { get; private set; } = Path.Combine(Path.GetTempPath(), "atc-fuzz-" + Environment.ProcessId);
    public string? Replay { get; private set; }
    public string? ShrinkFile { get; private set; }
    public string? Signature { get; private set; }
    public string? ShrinkOut { get; private set; }
    public long? Case { get; private set; }

    public TimeSpan Budget => TimeSpan.FromSeconds(BudgetSeconds);

    public static FuzzCommandLine Parse(IReadOnlyList<string> args)
    {
        var c = new FuzzCommandLine();
        for (int i = 0; i < args.Count; i++)
        {
            string name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value");
            static T Number<T>(string text, string option) where T : IParsable<T>
                => T.TryParse(text, CultureInfo.InvariantCulture, out var v) ? v : throw new ArgumentException($"{option}: '{text}' is not a number");
            switch (name)
            {
                case "--worker": c.Worker = true; break;
                case "--format":
                    var text = Value();
                    c.Formats = text == "all" ? FuzzFormats.All
                        : [FuzzFormats.Parse(text) ?? throw new ArgumentException($"--format: '{text}' is not one of all, {string.Join(", ", FuzzFormats.All.Select(f => f.Name()))}")];
                    break;
                case "--seed": c.Seed = Number<int>(Value(), name); break;
                case "--minutes": c.Minutes = Number<double>(Value(), name); break;
                case "--cases": c.Cases = Number<long>(Value(), name); break;
                case "--budget-seconds": c.BudgetSeconds = Number<double>(Value(), name); break;
                case "--out": c.Out = Value(); break;
                case "--no-shrink": c.Shrink = false; break;
                case "--from": c.From = Number<long>(Value(), name); break;
                case "--to": c.To = Number<long>(Value(), name); break;
                case "--until": c.UntilUtc = new DateTime(Number<long>(Value(), name), DateTimeKind.Utc); break;
                case "--work": c.Work = Value(); break;
                case "--replay": c.Replay = Value(); break;
                case "--shrink": c.ShrinkFile = Value(); break;
                case "--signature": c.Signature = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(Value())); break;
                case "--out-file": c.ShrinkOut = Value(); break;
                case "--case": c.Case = Number<long>(Value(), name); break;
                default: throw new ArgumentException($"unknown option '{name}'. Options: --format all|pb|onnx|om|options|aipp|caffe, --minutes N, --cases N, --seed N, --out DIR, --budget-seconds N, --no-shrink, --case N");
            }
        }
        return c;
    }
}
