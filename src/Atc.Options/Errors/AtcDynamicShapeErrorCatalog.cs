using System.Collections.Generic;

namespace Atc.Options.Errors
{
    /// <summary>
    /// This project's own codes for data-dependent shapes (ATC4300-ATC4399): the runtime's dynamic region, which
    /// ATC's static offline models have no counterpart of. Each names the offending value and a way out.
    /// </summary>
    public static class AtcDynamicShapeErrorCatalog
    {
        /// <summary>A step of the dynamic region rejects the shapes or values the run's data produced (InferenceInputException).</summary>
        public static readonly AtcErrorDescriptor ATC4300 = new AtcErrorDescriptor("ATC4300", "Data_Dependent_Shape_Invalid",
            "Node [{0}] ({1}) cannot run on the shapes its inputs have in this run ({2}): {3}",
            "The node's output size depends on values computed from the inputs (a count of detections, a computed shape); this run's values do not fit the operator.",
            "Check the input data that leads to this node, or bound the computed value in the model (e.g. Clip or Min before the shape input).",
            AtcErrorOrigin.Project);

        /// <summary>A caller's destination is shorter than a data-dependent output of this run (InferenceInputException).</summary>
        public static readonly AtcErrorDescriptor ATC4301 = new AtcErrorDescriptor("ATC4301", "Data_Dependent_Output_Too_Large",
            "Output {0} ([{1}]) has shape {2} in this run and needs {3} elements; the destination holds {4}.",
            "The output's size depends on the data, so it can only be checked after the run.",
            "Pass a destination of at least {3} elements, or run without a destination for this output and read InferenceSession.GetOutput.",
            AtcErrorOrigin.Project);

        /// <summary>Every descriptor, in code order.</summary>
        public static IReadOnlyList<AtcErrorDescriptor> All { get; } = new[] { ATC4300, ATC4301 };
    }
}
