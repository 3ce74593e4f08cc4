namespace Atc.Options
{
    /// <summary>What this compiler does with one of ATC's options (docs/atc-options.md lists each).</summary>
    public enum AtcOptionStatus
    {
        /// <summary>Does what ATC does.</summary>
        Implemented,
        /// <summary>Implemented with the meaning it has on this project's CPU target (stated in the option's row).</summary>
        ImplementedForCpu,
        /// <summary>Accepted (its value checked where ATC fixes the values) and ignored with warning ATC3000, which says what it means on a CPU target.</summary>
        Ignored,
        /// <summary>Known, but this compiler cannot do it: a coded error (E10055) instead of a wrong model.</summary>
        NotSupported,
        /// <summary>This project's own option; ATC has no such option.</summary>
        ProjectOwn,
    }
}
