using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Atc.Analyzers
{
    /// <summary>
    /// Call sites of a generated wrapper's RunNearest / NearestBatchSize with a constant batch size outside the
    /// model's gears (1..MaxBatchSize): a certain ArgumentOutOfRangeException, caught at compile time.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class RunNearestBatchAnalyzer : DiagnosticAnalyzer
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(AtcDescriptors.BatchOutsideGears);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterOperationAction(AnalyzeInvocation, OperationKind.Invocation);
        }

        private static void AnalyzeInvocation(OperationAnalysisContext context)
        {
            var invocation = (IInvocationOperation)context.Operation;
            var method = invocation.TargetMethod;
            if (method.Name != "RunNearest" && method.Name != "NearestBatchSize") return;
            var type = method.ContainingType;
            if (!IsGeneratedWrapper(type)) return;
            var max = type.GetMembers("MaxBatchSize").OfType<IFieldSymbol>().FirstOrDefault(f => f.HasConstantValue)?.ConstantValue as int?;
            if (max is null) return;

            var argument = invocation.Arguments.FirstOrDefault(a => a.Parameter?.Name == "batchSize");
            if (argument?.Value.ConstantValue is not { HasValue: true, Value: int batch }) return;
            if (batch >= 1 && batch <= max) return;

            var sizes = type.GetMembers("BatchSizes").Any() ? "gears up to " + max : "1 to " + max;
            context.ReportDiagnostic(Diagnostic.Create(AtcDescriptors.BatchOutsideGears, argument.Syntax.GetLocation(), batch, type.Name, sizes));
        }

        private static bool IsGeneratedWrapper(INamedTypeSymbol type) =>
            type.GetAttributes().Any(a => a.AttributeClass?.Name == "GeneratedCodeAttribute"
                && a.ConstructorArguments.Length > 0 && a.ConstructorArguments[0].Value as string == "Atc.SourceGen");
    }
}
