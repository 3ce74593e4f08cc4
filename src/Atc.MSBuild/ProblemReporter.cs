using System.IO;
using Atc.Options.Errors;
using Atc.Options.ItemRules;
using Microsoft.Build.Utilities;

namespace Atc.MSBuild
{
    /// <summary>Logs an error or warning with its ATC code at the attribute of the item's element in the project file
    /// that defines it (`app.csproj(12,5): error E10035: ...`), the way the analyzer reports it in the IDE.</summary>
    internal sealed class ProblemReporter
    {
        private readonly TaskLoggingHelper _log;
        private readonly string _projectPath;
        private readonly string _itemSpec;
        private string? _projectText;

        public ProblemReporter(TaskLoggingHelper log, string projectPath, string itemSpec)
        {
            _log = log;
            _projectPath = projectPath;
            _itemSpec = itemSpec;
        }

        public void Error(string code, string message, string? attribute)
        {
            var at = Locate(attribute);
            _log.LogError(null, code, null, HelpLinks.ForCode(code), _projectPath, at?.Line ?? 0, at?.Column ?? 0, at?.EndLine ?? 0, at?.EndColumn ?? 0, "{0}", message);
        }

        public void Warning(string code, string message, string? attribute)
        {
            var at = Locate(attribute);
            _log.LogWarning(null, code, null, HelpLinks.ForCode(code), _projectPath, at?.Line ?? 0, at?.Column ?? 0, at?.EndLine ?? 0, at?.EndColumn ?? 0, "{0}", message);
        }

        private ProjectLocation? Locate(string? attribute)
        {
            if (_projectText is null)
            {
                try
                {
                    _projectText = File.Exists(_projectPath) ? File.ReadAllText(_projectPath) : "";
                }
                catch (IOException)
                {
                    _projectText = "";
                }
            }
            return _projectText.Length == 0 ? null : ProjectFileLocator.Find(_projectText, _itemSpec, attribute);
        }
    }
}
