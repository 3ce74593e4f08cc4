using Atc.Runtime.Core;

namespace Atc.Runtime.Serving;

/// <summary>
/// Caller memory bound to one model input or output for a single run: an address pinned by the caller for the run's
/// duration, its size and element type, and (inputs) its shape. Address 0 on an output means "the session's buffer".
/// </summary>
internal readonly record struct PinnedBinding(nint Address, long ElementCount, DataType? Type, string ClrTypeName, int[]? Shape);
