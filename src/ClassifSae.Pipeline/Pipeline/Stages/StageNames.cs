namespace ClassifSae.Pipeline.Stages;

public static class StageNames
{
    public const string FineTune = "finetune";
    public const string Cache = "cache";
    public const string Train = "train";
    public const string Evaluate = "evaluate";
    public const string Report = "report";
}
