"""The job that runs everything, its daily schedule and the landing-folder sensor."""
