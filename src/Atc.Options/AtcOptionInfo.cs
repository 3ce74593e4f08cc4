using System.Collections.Generic;
using Atc.Options.Errors;

namespace Atc.Options
{
    /// <summary>One row of the option table: an ATC option, what this compiler does with it, and its help text.</summary>
    public sealed class AtcOptionInfo
    {
        public AtcOptionInfo(string name, AtcOptionStatus status, string helpName, string description,
            IReadOnlyList<string>? values = null, string? cpuMeaning = null)
        {
            Name = name;
            Status = status;
            HelpName = helpName;
            Description = description;
            Values = values;
            CpuMeaning = cpuMeaning;
        }

        /// <summary>ATC's name without the leading "--".</summary>
        public string Name { get; }
        public AtcOptionStatus Status { get; }
        /// <summary>The value placeholder --help shows ("0|1|3", "file", ...).</summary>
        public string HelpName { get; }
        public string Description { get; }
        /// <summary>ATC's fixed set of values (checked case-sensitively, as ATC does), or null for free values.</summary>
        public IReadOnlyList<string>? Values { get; }
        /// <summary>For ignored options: what the option does on an NPU and why that has no effect on a CPU target.</summary>
        public string? CpuMeaning { get; }
    }
}
