namespace PaperFeed.Topics;

public sealed record ArxivCategory(string Code, string Name)
{
    /// <summary>The topic slug: "cs.AI" → "cs-ai", "q-bio.NC" → "q-bio-nc".</summary>
    public string Slug => Code.ToLowerInvariant().Replace('.', '-');
}

/// <summary>The arXiv categories where machine-learning papers are listed, with arXiv's own names (arxiv.org/category_taxonomy).</summary>
public static class ArxivCategories
{
    public static readonly IReadOnlyList<ArxivCategory> All =
    [
        new("cs.AI", "Artificial Intelligence"),
        new("cs.CL", "Computation and Language"),
        new("cs.CV", "Computer Vision and Pattern Recognition"),
        new("cs.LG", "Machine Learning"),
        new("stat.ML", "Machine Learning (Statistics)"),
        new("cs.NE", "Neural and Evolutionary Computing"),
        new("cs.RO", "Robotics"),
        new("cs.IR", "Information Retrieval"),
        new("cs.MA", "Multiagent Systems"),
        new("cs.HC", "Human-Computer Interaction"),
        new("cs.CR", "Cryptography and Security"),
        new("cs.SE", "Software Engineering"),
        new("cs.PL", "Programming Languages"),
        new("cs.DC", "Distributed, Parallel, and Cluster Computing"),
        new("cs.AR", "Hardware Architecture"),
        new("cs.DB", "Databases"),
        new("cs.DS", "Data Structures and Algorithms"),
        new("cs.GT", "Computer Science and Game Theory"),
        new("cs.IT", "Information Theory"),
        new("cs.LO", "Logic in Computer Science"),
        new("cs.SI", "Social and Information Networks"),
        new("cs.CY", "Computers and Society"),
        new("cs.GR", "Graphics"),
        new("cs.MM", "Multimedia"),
        new("cs.SD", "Sound"),
        new("eess.AS", "Audio and Speech Processing"),
        new("eess.IV", "Image and Video Processing"),
        new("eess.SP", "Signal Processing"),
        new("eess.SY", "Systems and Control"),
        new("stat.ME", "Methodology"),
        new("stat.TH", "Statistics Theory"),
        new("math.OC", "Optimization and Control"),
        new("q-bio.NC", "Neurons and Cognition"),
        new("q-bio.QM", "Quantitative Methods"),
        new("q-bio.BM", "Biomolecules"),
        new("physics.comp-ph", "Computational Physics"),
    ];
}
