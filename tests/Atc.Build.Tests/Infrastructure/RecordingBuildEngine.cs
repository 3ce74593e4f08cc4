using System.Collections;
using Microsoft.Build.Framework;

namespace Atc.Build.Tests.Infrastructure;

/// <summary>An MSBuild engine for running a task in process: records errors, warnings and messages; safe to share
/// between tasks running in parallel.</summary>
public sealed class RecordingBuildEngine : IBuildEngine
{
    private readonly List<BuildErrorEventArgs> _errors = [];
    private readonly List<string> _messages = [];

    public IReadOnlyList<BuildErrorEventArgs> Errors { get { lock (_errors) return _errors.ToList(); } }
    public IReadOnlyList<string> Messages { get { lock (_messages) return _messages.ToList(); } }

    public bool ContinueOnError => false;
    public int LineNumberOfTaskNode => 0;
    public int ColumnNumberOfTaskNode => 0;
    public string ProjectFileOfTaskNode => "app.csproj";
    public bool BuildProjectFile(string projectFileName, string[] targetNames, IDictionary globalProperties, IDictionary targetOutputs) => false;
    public void LogCustomEvent(CustomBuildEventArgs e) { }
    public void LogErrorEvent(BuildErrorEventArgs e) { lock (_errors) _errors.Add(e); }
    public void LogMessageEvent(BuildMessageEventArgs e) { lock (_messages) _messages.Add(e.Message ?? ""); }
    public void LogWarningEvent(BuildWarningEventArgs e) { lock (_messages) _messages.Add("warning " + e.Code + ": " + e.Message); }

    public string ErrorText() => string.Join("\n", Errors.Select(e => e.Code + ": " + e.Message));
}
