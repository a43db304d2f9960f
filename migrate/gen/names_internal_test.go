package gen

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestGenExportedName(t *testing.T) {
	for in, want := range map[string]string{
		"id": "ID", "user_id": "UserID", "userId": "UserID", "UserID": "UserID", "image_url": "ImageURL",
		"api_url": "APIURL", "HTTPServer": "HTTPServer", "USER_NAME": "UserName", "first name": "FirstName",
		"created-at": "CreatedAt", "2fa_code": "X2faCode", "名前": "X名前", "über": "Über", "___": "", "utf8_text": "UTF8Text",
		"v2_name": "V2Name", "json": "JSON", "ids": "Ids",
	} {
		assert.Equal(t, want, genExportedName(in), in)
	}
}

func TestGenSingular(t *testing.T) {
	for in, want := range map[string]string{
		"users": "user", "categories": "category", "boxes": "box", "addresses": "address", "people": "person",
		"order_items": "order_item", "sizes": "size", "statuses": "status", "status": "status", "news": "news",
		"user_account": "user_account", "children": "child", "glasses": "glass", "data": "data",
	} {
		assert.Equal(t, want, genSingular(in), in)
	}
}
