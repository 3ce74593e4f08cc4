namespace Atc.Runtime.Operators;

/// <summary>
/// An op type and how to construct its operator. The catalog lists entries rather than operators so that nothing is
/// constructed (nor its code JIT-compiled) until a model uses the op type; the factory receives the op type so one
/// class can serve several (Add/Sub/..., MaxPool/AveragePool).
/// </summary>
internal readonly record struct OperatorEntry(string OpType, Func<string, IOperator> Create);
