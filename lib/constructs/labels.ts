/** The label every construct selects its pods by: short, stable, and independent of the construct tree. */
export const NAME_LABEL = 'app.kubernetes.io/name';
