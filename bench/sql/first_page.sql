SELECT v.id, v.user_id, v.title, v.description, v.category, v.status, v.duration_seconds, v.view_count, v.like_count, v.created_at FROM videos v ORDER BY v.created_at DESC, v.id DESC LIMIT 101;
