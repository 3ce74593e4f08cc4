using Atc.Options;

namespace Atc.Compiler.Driver;

/// <summary>ATC's --log: messages at or above the chosen level go to the writer ("null" writes nothing).</summary>
public sealed class CompilerLog(TextWriter? writer, AtcLogLevel level)
{
    public static CompilerLog None { get; } = new(null, AtcLogLevel.Null);

    public AtcLogLevel Level { get; } = level;

    public bool IsEnabled(AtcLogLevel messageLevel) => writer != null && Level != AtcLogLevel.Null && messageLevel >= Level;

    public void Debug(string message) => Write(AtcLogLevel.Debug, "DEBUG", message);
    public void Info(string message) => Write(AtcLogLevel.Info, "INFO", message);
    public void Warning(string message) => Write(AtcLogLevel.Warning, "WARNING", message);
    public void Error(string message) => Write(AtcLogLevel.Error, "ERROR", message);

    private void Write(AtcLogLevel messageLevel, string tag, string message)
    {
        if (IsEnabled(messageLevel)) writer!.WriteLine("[" + tag + "] " + message);
    }
}
