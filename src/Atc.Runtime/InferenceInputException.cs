namespace Atc.Runtime;

/// <summary>
/// The inputs given to a session do not fit the model: wrong index or name, element type, length or shape, or a
/// shape combination that matches no gear. The message lists what the model accepts.
/// </summary>
public sealed class InferenceInputException(string message, string? paramName = null) : ArgumentException(message, paramName);
