using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Text.RegularExpressions;

namespace Atc.MSBuild
{
    /// <summary>
    /// Where one compilation writes before its outputs are moved into place: a folder `KEY.atcpart-PID-NONCE/` holding
    /// `NAME.om` and `NAME.atcmanifest` (and the compiler's own hidden `.NAME.om.XXXX.tmp` while it writes), NAME being
    /// the model file's name, which the compiler records as the model's name in the .om. The build process id and a
    /// per-item nonce make the folder unique per build and per model, so two builds never write the same file; the
    /// process id also tells a later build whether the owner is still alive.
    /// </summary>
    public sealed class PartialOutputs
    {
        private const string Marker = ".atcpart-";

        // Any name carrying our marker: the folder KEY.atcpart-PID-NONCE, or (earlier versions) files KEY.atcpart-PID-NONCE.om, ...
        private static readonly Regex Ours = new Regex(@"\.atcpart-(?<pid>\d{1,10})-[0-9a-f]{8}(\.|$)", RegexOptions.CultureInvariant);

        // The fixed names earlier versions used (KEY.partial.om, its hidden .tmp, KEY.atcmanifest.partial[.tmp]).
        private static readonly Regex Legacy = new Regex(@"^(\..+\.partial\.om\.[0-9a-f]{8}\.tmp|.+\.partial\.om|.+\.atcmanifest\.partial(\.tmp)?)$", RegexOptions.CultureInvariant);

        /// <param name="omPath">where the .om goes in the end.</param>
        /// <param name="modelName">the model's name (its file name without extension), recorded in the .om.</param>
        public PartialOutputs(string omPath, string modelName)
        {
            var nonce = Guid.NewGuid().ToString("N").Substring(0, 8);
            var stem = omPath.Substring(0, omPath.Length - Path.GetExtension(omPath).Length);
            Folder = stem + Marker + CurrentProcessId.ToString(CultureInfo.InvariantCulture) + "-" + nonce;
            OutputBase = Path.Combine(Folder, modelName);
        }

        /// <summary>The temporary folder of this compilation (created by the caller, removed after the move).</summary>
        public string Folder { get; }

        /// <summary>What the compiler gets as --output (it appends ".om").</summary>
        public string OutputBase { get; }

        public string Om => OutputBase + ".om";

        public string Manifest => OutputBase + ".atcmanifest";

        private static int CurrentProcessId
        {
            get
            {
                using var self = Process.GetCurrentProcess();
                return self.Id;
            }
        }

        /// <summary>
        /// Whether <paramref name="fileName"/> is a temporary of ours that nobody will finish: its owner process is gone,
        /// or the process now holding that id started after the file was last written (the id was reused).
        /// </summary>
        public static bool IsStale(string fileName, DateTime lastWriteUtc, Func<int, DateTime?> processStartUtc)
        {
            var match = Ours.Match(fileName);
            if (!match.Success) return Legacy.IsMatch(fileName);
            if (!int.TryParse(match.Groups["pid"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) return false;
            var started = processStartUtc(pid);
            return started is null || started.Value > lastWriteUtc;
        }

        /// <summary>The start time of a live process, or null when no process has that id.</summary>
        public static DateTime? ProcessStartUtc(int pid)
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                if (process.HasExited) return null;
                try
                {
                    return process.StartTime.ToUniversalTime();
                }
                catch (Exception e) when (e is InvalidOperationException || e is System.ComponentModel.Win32Exception || e is NotSupportedException)
                {
                    return DateTime.MinValue; // alive, start unknown: never treat its files as stale
                }
            }
            catch (ArgumentException)
            {
                return null; // no such process
            }
            catch (InvalidOperationException)
            {
                return null; // exited meanwhile
            }
        }
    }
}
