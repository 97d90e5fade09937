"""Reading the content folder: YAML and Markdown with positions, validated into the model."""
