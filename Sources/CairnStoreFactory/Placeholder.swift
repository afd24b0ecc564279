enum FactoryPlaceholder {}
