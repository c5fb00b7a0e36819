"""Support near a person's home: employment-support offices (WAM NET), the Hello Work office in
charge, and how far a listing lies from home, all read from the published snapshot's support
tables (support_offices, hellowork_areas, area_centroids), never from the warehouse."""
