using System.Collections.Generic;

namespace Atc.Options.Errors
{
    /// <summary>Factories for --singleop description problems; each names the file, line and column.</summary>
    public static partial class AtcErrors
    {
        /// <summary>ATC4240: the file is not JSON, or not an array of op objects.</summary>
        public static AtcDiagnostic SingleOpJsonInvalid(string file, int line, int column, string reason)
            => AtcSingleOpErrorCatalog.ATC4240.Create(AtcOptionNames.SingleOp, null, file, line, column, reason);

        /// <summary>ATC4241: an op type with no mapping here, with a did-you-mean.</summary>
        public static AtcDiagnostic SingleOpUnknownOp(int index, string file, int line, int column, string opType, string? suggestion, IEnumerable<string> known)
            => AtcSingleOpErrorCatalog.ATC4241.Create(AtcOptionNames.SingleOp, suggestion != null ? "Did you mean [" + suggestion + "]?" : null,
                index, file, line, column, opType, string.Join(", ", known));

        /// <summary>ATC4242: a bad tensor description or attribute of op <paramref name="index"/>.</summary>
        public static AtcDiagnostic SingleOpDescInvalid(int index, string opType, string file, int line, int column, string reason, string fix)
            => AtcSingleOpErrorCatalog.ATC4242.Create(AtcOptionNames.SingleOp, null, index, opType, file, line, column, reason, fix);
    }
}
