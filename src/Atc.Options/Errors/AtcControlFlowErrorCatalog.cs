using System.Collections.Generic;

namespace Atc.Options.Errors
{
    /// <summary>
    /// This project's own codes for control flow (ATC4000-ATC4019): If, Loop and Scan bodies compiled as nested
    /// plans. ATC has no codes for them. The runtime (no dependency on Atc.Options) repeats the texts in RuntimeErrors.
    /// </summary>
    public static class AtcControlFlowErrorCatalog
    {
        /// <summary>A body whose shapes do not fit its node: If branches that disagree, a loop-carried value whose shape
        /// changes from one iteration to the next (compile time, through the planner).</summary>
        public static readonly AtcErrorDescriptor ATC4000 = new AtcErrorDescriptor("ATC4000", "Control_Flow_Body_Shape_Invalid",
            "Node [{0}] ({1}): {2}",
            "A control-flow body is compiled as a nested plan with static shapes: both branches of an If must give outputs of one type and shape, and a loop-carried value must keep its shape.",
            "Make the branches produce the same shapes (e.g. pad or reshape in the smaller branch), or keep the carried value's shape fixed in the body.",
            AtcErrorOrigin.Project);

        /// <summary>At run time a body output computed in its dynamic region has another shape than the one planned.</summary>
        public static readonly AtcErrorDescriptor ATC4001 = new AtcErrorDescriptor("ATC4001", "Control_Flow_Shape_Changed",
            "Body [{0}] output {1} was planned as {2} but has {3} in this run.",
            "A value computed from the data inside a loop or branch changed the shape the node's outputs were planned with.",
            "Keep the body's outputs at a fixed shape (e.g. Slice with constant sizes), or move the data-dependent part out of the loop.",
            AtcErrorOrigin.Project);

        /// <summary>A Loop with no trip count ran past the runtime's safety bound without its condition turning false.</summary>
        public static readonly AtcErrorDescriptor ATC4002 = new AtcErrorDescriptor("ATC4002", "Loop_Iteration_Limit",
            "Loop [{0}] has no trip count and ran {1} iterations without its condition turning false.",
            "The loop's condition never became false for this input: the runtime stops it rather than run forever.",
            "Give the Loop a trip count (input M), or check the input data that drives its condition.",
            AtcErrorOrigin.Project);

        /// <summary>Every descriptor, in code order.</summary>
        public static IReadOnlyList<AtcErrorDescriptor> All { get; } = new[] { ATC4000, ATC4001, ATC4002 };
    }
}
