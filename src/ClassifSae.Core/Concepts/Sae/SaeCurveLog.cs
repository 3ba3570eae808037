using ClassifSae.Runtime;

namespace ClassifSae.Concepts.Sae;

/// <summary>An SAE step's curve record as training-log scalars, tagged by the field names of training_curve.json.</summary>
public static class SaeCurveLog
{
    public static void Write(ITrainingLog log, StepReport r, bool classifierHead)
    {
        log.Scalar("loss/total", r.Step, r.Total);
        log.Scalar("loss/mse", r.Step, r.Mse);
        log.Scalar("loss/ghost", r.Step, r.Ghost);
        if (r.ExplainedVariance is { } ev) log.Scalar("explained_variance", r.Step, ev);
        log.Scalar("mean_l0", r.Step, r.MeanL0);
        log.Scalar("dead_features", r.Step, r.DeadFeatures);
        log.Scalar("learning_rate", r.Step, r.Lr);
        if (!classifierHead) return;
        log.Scalar("loss/classifier", r.Step, r.Classifier);
        log.Scalar("loss/activation_rate", r.Step, r.ActivationRate);
        log.Scalar("classifier_accuracy", r.Step, r.ClassifierAccuracy);
        log.Scalar("concept_firing_rate", r.Step, r.ConceptActivationRate);
    }
}
